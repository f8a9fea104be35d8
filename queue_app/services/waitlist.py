"""The waiting list: a resident who found no slot leaves an address; when a place frees up
(cancellation, "I can't come", a lapsed hold), the first one it suits is offered it by mail
and it is held for them a short while, then the next one gets their turn."""
import secrets

from flask import current_app
from sqlalchemy import select

from ..database import record, write_transaction
from ..domain import booking_flow
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.lifecycle import WaitlistStatus
from ..extensions import db
from ..models import Appointment, WaitlistEntry
from . import appointments, availability, notifications
from .auth import token_digest


def join(codes, email, lang, consent, now):
    if consent is not True:
        raise InvalidInput("Please agree to the privacy notice.", code="consent_required")
    if not email or not appointments.EMAIL.match(email):
        raise InvalidInput("Please give a valid e-mail address.", code="invalid_email")
    services = availability.bookable_services(codes)
    token = secrets.token_urlsafe(24)
    with write_transaction():
        entry = WaitlistEntry(office_id=services[0].office_id, services=codes,
                              email=email.strip().lower(), lang=lang,
                              token_hash=token_digest(token), status=WaitlistStatus.WAITING,
                              created_at=now)
        db.session.add(entry)
        db.session.flush()
        position = db.session.scalar(select(db.func.count(WaitlistEntry.id)).where(
            WaitlistEntry.office_id == entry.office_id,
            WaitlistEntry.status == WaitlistStatus.WAITING,
            WaitlistEntry.id <= entry.id))
    return {"status": entry.status, "position": position, "token": token}


def leave(token, now):
    with write_transaction():
        entry = db.session.scalar(select(WaitlistEntry).where(
            WaitlistEntry.token_hash == token_digest(token or "")))
        if entry is None:
            raise NotFound("No waiting-list entry for this link.", code="entry_not_found")
        if entry.status == WaitlistStatus.WAITING:
            left = booking_flow.leave_waitlist(entry.status, now, ref=entry.id)
            entry.status = left.status
            record(*left.events)
    return {"status": entry.status}


def offer_next(office_id, now):
    """Offer a freed place to the first waiting resident it suits; None when nobody."""
    hold = current_app.config["WAITLIST_OFFER_MINUTES"]
    waiting = db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.office_id == office_id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)).all()
    for entry in waiting:
        services = availability.bookable_services(list(entry.services))
        free = availability.next_free(services, now, now, count=1)
        if not free:
            continue
        try:
            view = appointments.book(list(entry.services), free[0].start, None, entry.email,
                                     entry.lang, True, now, hold_minutes=hold, notify=False,
                                     anonymous=True)
        except DomainError:
            continue   # taken meanwhile, or this address holds enough bookings already
        with write_transaction():
            row = db.session.get(WaitlistEntry, entry.id)
            offered = booking_flow.offer(row.status, now, ref=row.id)
            row.status = offered.status
            record(*offered.events)
            row.offers += 1
            row.offered_appointment_id = db.session.scalar(
                select(Appointment.id).where(Appointment.uid == view["uid"]))
        notifications.offer(view)
        return view
    return None


def _entries_for(uids):
    return db.session.scalars(select(WaitlistEntry).join(
        Appointment, Appointment.id == WaitlistEntry.offered_appointment_id)
        .where(Appointment.uid.in_(uids), WaitlistEntry.status == WaitlistStatus.OFFERED)).all()


def offer_taken(uid, now):
    with write_transaction():
        for entry in _entries_for([uid]):
            taken = booking_flow.take_offer(entry.status, now, ref=entry.id)
            entry.status = taken.status
            record(*taken.events)


def offers_lapsed(uids, now):
    """An offer not taken in time: that resident's turn has passed, the next one's comes."""
    if not uids:
        return
    with write_transaction():
        for entry in _entries_for(uids):
            lapsed = booking_flow.lapse_offer(entry.status, now, ref=entry.id)
            entry.status = lapsed.status
            record(*lapsed.events)
