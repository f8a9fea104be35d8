"""The waiting list: a resident who found no slot leaves an address; when a place frees up
(cancellation, "I can't come", a lapsed hold), the first one it suits is offered it by mail
and it is held for them a short while, then the next one gets their turn."""
import secrets

from sqlalchemy import select

from ..database import record, write_transaction
from ..domain import booking_flow, person
from ..domain.errors import NotFound
from ..domain.lifecycle import WaitlistStatus
from ..extensions import db
from ..models import Appointment, WaitlistEntry
from . import availability
from .auth import token_digest


def join(codes, email, lang, consent, now):
    person.check(email, consent, name_needed=False)
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


def waiting(office_id):
    """The office's waiting residents, first come first."""
    return db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.office_id == office_id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)).all()


def mark_offered(entry_id, appointment_uid, now):
    """The entry's resident was offered the appointment `appointment_uid` (booked as a
    reservation by the calendar, which owns the places)."""
    with write_transaction():
        row = db.session.get(WaitlistEntry, entry_id)
        offered = booking_flow.offer(row.status, now, ref=row.id)
        row.status = offered.status
        record(*offered.events)
        row.offers += 1
        row.offered_appointment_id = db.session.scalar(
            select(Appointment.id).where(Appointment.uid == appointment_uid))


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
