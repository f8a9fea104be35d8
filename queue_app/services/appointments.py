"""Booking, rescheduling and cancelling appointments, capacity-safe.

An appointment holds one place ("lane") in every slot cell it covers, as rows of
SlotClaim; a unique constraint on (office, cell, lane) makes a double booking impossible
whatever the interleaving. SQLite serialises writers anyway; on PostgreSQL two bookings
racing for the last place both try the same lane, one insert fails, and its retry finds
the slot full: exactly one wins.
"""
import base64
import hashlib
import hmac
import re
import secrets
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..clock import centre_tz
from ..database import record, write_transaction
from ..domain import booking_flow, person, slots
from ..domain.errors import Conflict, DomainError, Gone, InvalidInput, NotFound
from ..domain.lifecycle import HOLDING_APPOINTMENT, OPEN_WAITLIST, AppointmentStatus
from ..extensions import db
from ..links import public_url
from ..models import Appointment, SlotClaim, WaitlistEntry
from . import availability, notifications, waitlist
from .auth import token_digest

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read out at a counter
ATTEMPTS = 4


def manage_token(seed):
    """The resident's secret link token (192 bits). Derived from a stored random seed with
    the server's key, so a reminder can carry the same link again, while the database alone
    (which keeps only the seed and the token's hash) does not give the links away."""
    mac = hmac.new(current_app.config["SECRET_KEY"].encode(), seed.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()


def format_code(code):
    return f"{code[:3]}-{code[3:]}"


def normalise_code(text):
    return re.sub(r"[\s\-]", "", (text or "").upper())


def appointment_view(appt, token=None):
    view = {
        "code": format_code(appt.code),
        "start": appt.start.astimezone(centre_tz()).isoformat(),
        "end": appt.end.astimezone(centre_tz()).isoformat(),
        "status": appt.status,
        "services": list(appt.services),
        "office": appt.office.code,
        "name": appt.name,
        "email": appt.email,
        "lang": appt.lang,
        "sequence": appt.sequence,
        "uid": appt.uid,
        "reserved_until": appt.reserved_until.isoformat()
        if appt.status == AppointmentStatus.RESERVED and appt.reserved_until else None,
        # Not part of the JSON a client sees, but what the calendar and mails need.
        "start_at": appt.start,
        "end_at": appt.end,
    }
    if token is not None:
        view["token"] = token
        view["manage_url"] = public_url(f"/manage/{token}")
        view["ics_url"] = public_url(f"/api/v1/appointments/{token}/ics")
    return view


def public(view):
    return {k: v for k, v in view.items() if k not in ("start_at", "end_at", "uid")}


def _claim(office_id, rule, cells, appointment):
    """Take the lowest free place in every cell, or None when one cell is full."""
    availability.bump_version(office_id)
    for cell in cells:
        held = set(db.session.scalars(select(SlotClaim.lane).where(
            SlotClaim.office_id == office_id, SlotClaim.cell == cell)))
        free = [lane for lane in range(rule.parallel) if lane not in held]
        if not free:
            return None
        db.session.add(SlotClaim(office_id=office_id, cell=cell, lane=free[0],
                                 appointment_id=appointment.id))
    db.session.flush()
    return True


def _free_slot(services, start, now):
    """The rule and cells of `start` when it is free now; 422 when it never was a slot for
    these services, 409 when it is taken (or closed, or too soon)."""
    tz = centre_tz()
    duration = sum(s.duration_minutes for s in services)
    found = slots.cells_for(availability.rules_for(services[0].office_id),
                            [s.code for s in services], start, duration, tz)
    if found is None:
        raise InvalidInput("This is not an appointment time for these services.",
                           code="not_a_slot")
    day = start.astimezone(tz).date()
    free = availability.find_slots(None, day, day, now, services=services)
    if not any(s.start == start for s in free):
        raise SlotTaken()
    return found


def _place(services, start, now, appointment):
    """Claim `start` for the appointment, inside its write transaction."""
    rule, cells = _free_slot(services, start, now)
    if _claim(services[0].office_id, rule, cells, appointment) is None:
        raise SlotTaken()
    return start + _duration(services)


def _duration(services):
    return timedelta(minutes=sum(s.duration_minutes for s in services))


class SlotTaken(Conflict):
    code = "slot_taken"

    def __init__(self):
        super().__init__("This time has just been taken. Please choose another.")


def _retrying(work):
    """Run `work` in a write transaction; a lost race on a place (unique violation) is
    retried, and then sees the slot as it really is."""
    for attempt in range(ATTEMPTS):
        try:
            with write_transaction():
                return work()
        except IntegrityError:
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise SlotTaken() from None


def _taken_with_alternatives(services, start, now):
    exc = SlotTaken()
    exc.details["next_slots"] = [{"start": s.start.isoformat(), "end": s.end.isoformat()}
                                 for s in availability.next_free(services, start, now)]
    return exc


def _new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if _code_free(code):
            return code


def _code_free(code):
    return db.session.scalar(select(Appointment.id).where(Appointment.code == code)) is None


def book(codes, start, name, email, lang, consent, now, phone=None, hold_minutes=None,
         notify=True, anonymous=False):
    """Returns the new appointment's view with its token (shown only this once).

    `hold_minutes` books it as "reserved" until then (e-mail confirmation, waiting-list
    offers); otherwise the centre's setting decides.
    """
    # A waiting-list offer knows only the address; the name comes when it is confirmed.
    person.check(email, consent, name=name, phone=phone, name_needed=not anonymous)
    services = availability.bookable_services(codes)
    email = email.strip().lower()
    cfg = current_app.config
    if hold_minutes is None and cfg["BOOKING_REQUIRES_CONFIRMATION"]:
        hold_minutes = cfg["RESERVATION_HOLD_MINUTES"]
    seed = secrets.token_hex(16)
    token = manage_token(seed)
    made = booking_flow.reserve if hold_minutes else booking_flow.book
    fields = dict(
        token_seed=seed, token_hash=token_digest(token),
        uid=f"{uuid.uuid4()}@anlaufstelle", office_id=services[0].office_id, start=start,
        services=codes, name=name.strip() if name else None, email=email,
        phone=phone or None, lang=lang, status=made(now).status, sequence=0, created_at=now,
        reserved_until=now + timedelta(minutes=hold_minutes) if hold_minutes else None,
        confirmed_at=None if hold_minutes else now)

    def work(composed):
        active = db.session.scalar(select(func.count(Appointment.id)).where(
            Appointment.email == email, Appointment.status.in_(HOLDING_APPOINTMENT),
            Appointment.end > now))
        if active >= cfg["MAX_ACTIVE_BOOKINGS_PER_EMAIL"]:
            raise Conflict("You already hold the most appointments one person may book. "
                           "Cancel one first.", code="too_many_bookings")
        if not _code_free(fields["code"]):
            fields["code"] = _new_code()
        change = made(now, ref=fields["code"])
        appt = Appointment(**fields, end=start)
        db.session.add(appt)
        db.session.flush()
        appt.end = _place(services, start, now, appt)
        db.session.flush()
        record(*change.events)
        view = appointment_view(appt, token)
        if notify:
            # Queued in this transaction: the booking and its mail commit together.
            notifications.booked(view, composed)
        return view

    try:
        # A read first: in a rush most requests are for places already gone, and they are
        # refused without queueing for the write lock. The write transaction checks again.
        _free_slot(services, start, now)
        fields["code"] = _new_code()
        # The mail is composed before the write transaction, from the appointment as it
        # will be: composing (template, calendar file, MIME) takes ~10 ms of CPU, and
        # inside the transaction it held SQLite's write lock and the event loop that long
        # for every booking, the kiosk's next ticket waiting behind it
        # (bench/release_rush.py).
        composed = notifications.booking_mail(appointment_view(Appointment(
            **fields, end=start + _duration(services), office=services[0].office),
            token)) if notify else None
        view = _retrying(lambda: work(composed))
    except SlotTaken:
        raise _taken_with_alternatives(services, start, now) from None
    return view


def _by_token(token, lock=False):
    query = select(Appointment).where(Appointment.token_hash == token_digest(token or ""))
    if lock:
        query = query.with_for_update()
    appt = db.session.scalar(query)
    if appt is None:
        raise NotFound("No appointment for this link.", code="appointment_not_found")
    return appt


def get(token):
    return appointment_view(_by_token(token), token)


def _release(appt):
    availability.bump_version(appt.office_id)
    db.session.execute(delete(SlotClaim).where(SlotClaim.appointment_id == appt.id))


def reschedule(token, start, now):
    def work():
        appt = _by_token(token, lock=True)
        if appt.status not in HOLDING_APPOINTMENT or appt.start <= now:
            raise Conflict("This appointment can no longer be moved.", code="not_movable")
        if appt.start == start:
            return appointment_view(appt, token), None
        moved = booking_flow.reschedule(appt.status, now, ref=appt.code)
        services = availability.bookable_services(list(appt.services))
        freed = (appt.office_id, appt.start)
        _release(appt)
        db.session.flush()
        appt.end = _place(services, start, now, appt)
        appt.start = start
        appt.sequence += 1
        record(*moved.events)
        view = appointment_view(appt, token)
        notifications.rescheduled(view)
        return view, freed

    try:
        view, freed = _retrying(work)
    except SlotTaken:
        appt = _by_token(token)
        services = availability.bookable_services(list(appt.services))
        raise _taken_with_alternatives(services, start, now) from None
    if freed is not None:
        slot_freed(freed[0], now)
    return view


def cancel(token, now):
    """Idempotent: cancelling a cancelled appointment returns it as it is."""
    with write_transaction():
        appt = _by_token(token, lock=True)
        if appt.status not in HOLDING_APPOINTMENT:
            return appointment_view(appt, token)
        if appt.end <= now:
            raise Conflict("This appointment is over.", code="not_cancellable")
        cancelled = booking_flow.cancel(appt.status, now, ref=appt.code)
        _release(appt)
        appt.status = cancelled.status
        record(*cancelled.events)
        appt.cancelled_at = now
        appt.sequence += 1
        view = appointment_view(appt, token)
        office_id = appt.office_id
        notifications.cancelled(view)
    slot_freed(office_id, now)
    return view


def confirm(token, now):
    """The resident followed the link in the mail: a reservation becomes a booking."""
    with write_transaction():
        appt = _by_token(token, lock=True)
        if appt.status == AppointmentStatus.BOOKED:
            return appointment_view(appt, token)
        if appt.status != AppointmentStatus.RESERVED or appt.reserved_until <= now:
            raise Gone("This reservation has lapsed. Please book again.",
                       code="reservation_lapsed")
        confirmed = booking_flow.confirm(appt.status, now, ref=appt.code)
        appt.status = confirmed.status
        record(*confirmed.events)
        appt.confirmed_at = now
        appt.reserved_until = None
        view = appointment_view(appt, token)
        notifications.booked(view)
    waitlist.offer_taken(view["uid"], now)
    return view


def slot_freed(office_id, now):
    """Offer a freed place to the first waiting resident it suits: held for them
    (WAITLIST_OFFER_MINUTES) as a reservation they confirm. None when nobody."""
    hold = current_app.config["WAITLIST_OFFER_MINUTES"]
    for entry in waitlist.waiting(office_id):
        services = availability.bookable_services(list(entry.services))
        free = availability.next_free(services, now, now, count=1)
        if not free:
            continue
        try:
            view = book(list(entry.services), free[0].start, None, entry.email, entry.lang,
                        True, now, hold_minutes=hold, notify=False, anonymous=True)
        except DomainError:
            continue   # taken meanwhile, or this address holds enough bookings already
        waitlist.mark_offered(entry.id, view["uid"], now)
        notifications.offer(view)
        return view
    return None


def release_lapsed(now):
    """Reservations not confirmed in time give their places back (the job that, done
    carelessly, double-books: here the places go in the same transaction as the status)."""
    with write_transaction():
        lapsed = db.session.scalars(select(Appointment).where(
            Appointment.status == AppointmentStatus.RESERVED,
            Appointment.reserved_until <= now).with_for_update()).all()
        for appt in lapsed:
            change = booking_flow.lapse(appt.status, now, ref=appt.code)
            _release(appt)
            appt.status = change.status
            record(*change.events)
        offices = {a.office_id for a in lapsed}
        uids = [a.uid for a in lapsed]
    waitlist.offers_lapsed(uids, now)
    for office_id in offices:
        slot_freed(office_id, now)
    return len(uids)


def mark_no_shows(now):
    grace = timedelta(minutes=current_app.config["CHECK_IN_GRACE_MINUTES"])
    with write_transaction():
        # FOR UPDATE: a second scheduler waits here and then no longer finds these rows.
        missed = db.session.scalars(select(Appointment).where(
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.start < now - grace).with_for_update()).all()
        for appt in missed:
            change = booking_flow.miss(appt.status, now, ref=appt.code)
            appt.status = change.status
            record(*change.events)
    return len(missed)


def send_reminders(now):
    """The day before: one reminder each, with the "I can't come" link.

    Only the rows this run's conditional UPDATE marked are mailed: a second scheduler
    running at the same moment marks (and mails) none of them."""
    tz = centre_tz()
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    start = slots.day_start(tomorrow, tz)
    end = slots.day_start(tomorrow + timedelta(days=1), tz)
    with write_transaction():
        won = db.session.scalars(
            update(Appointment).where(
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.reminded_at.is_(None),
                Appointment.start >= start, Appointment.start < end)
            .values(reminded_at=now).returning(Appointment.id)
            .execution_options(synchronize_session=False)).all()
        due = db.session.scalars(select(Appointment).where(Appointment.id.in_(won))).all()
        views = [appointment_view(a, manage_token(a.token_seed)) for a in due]
        for view in views:
            notifications.reminder(view)
    return len(views)


def forget_personal_data(now):
    """Data retention: names, addresses and phone numbers go RETENTION_DAYS after the
    appointment (or the waiting-list entry's end); times, services and status stay for
    the statistics."""
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    with write_transaction():
        old = db.session.scalars(select(Appointment).where(
            Appointment.end < cutoff, Appointment.email.is_not(None))).all()
        for appt in old:
            appt.name = appt.email = appt.phone = None
        entries = db.session.scalars(select(WaitlistEntry).where(
            WaitlistEntry.created_at < cutoff, WaitlistEntry.email.is_not(None),
            WaitlistEntry.status.not_in(OPEN_WAITLIST))).all()
        for entry in entries:
            entry.email = None
    return len(old) + len(entries)
