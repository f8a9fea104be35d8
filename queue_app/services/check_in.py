"""Appointment check-in at the kiosk: the booked services become the visit's steps, and the
queue's ordering calls it first at its time (appointment_due)."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..clock import centre_tz
from ..database import record, write_transaction
from ..domain import booking_flow
from ..domain.errors import Conflict, NotFound, TooEarly, TooLate
from ..domain.lifecycle import AppointmentStatus, VisitSource
from ..domain.numbering import local_day
from ..extensions import db
from ..models import Appointment, Visit
from .appointments import normalise_code
from .catalog import services_by_code
from .queue_state import get_visit, ticket_view
from .tickets import new_visit


def check_in(code, now, principal):
    """Returns (ticket view, created). Checking in twice gives the same ticket."""
    cfg = current_app.config
    early = timedelta(minutes=cfg["CHECK_IN_EARLY_MINUTES"])
    grace = timedelta(minutes=cfg["CHECK_IN_GRACE_MINUTES"])
    with write_transaction():
        appt = db.session.scalar(select(Appointment).where(
            Appointment.code == normalise_code(code)).with_for_update())
        if appt is None or appt.status in (AppointmentStatus.RESERVED,
                                           AppointmentStatus.EXPIRED):
            raise NotFound("We do not know this booking code.", code="unknown_code")
        if appt.status == AppointmentStatus.CHECKED_IN and appt.visit_id is not None:
            visit_id = appt.visit_id
        else:
            if appt.status == AppointmentStatus.CANCELLED:
                raise Conflict("This appointment was cancelled.", code="cancelled")
            local = appt.start.astimezone(centre_tz())
            if now < appt.start - early:
                raise TooEarly(f"Check-in opens at {(local - early):%H:%M} on "
                               f"{local:%d.%m.%Y}.", opens_at=(appt.start - early).isoformat())
            if now > appt.start + grace or appt.status == AppointmentStatus.NO_SHOW:
                raise TooLate("This appointment has passed. Please take a ticket without an "
                              "appointment.", code="too_late")
            checked = booking_flow.check_in(appt.status, now, ref=appt.code)
            services = services_by_code(list(appt.services))
            # Placed as it is written: the wait promised goes into the step's INSERT.
            visit = new_visit(services, appt.lang, None, now, principal,
                              local_day(now, str(centre_tz())), source=VisitSource.APPOINTMENT,
                              appointment_at=appt.start, place=True)
            appt.status = checked.status
            appt.checked_in_at = now
            appt.visit_id = visit.id
            record(*checked.events)
            return visit.view, True
        public_id = db.session.scalar(select(Visit.public_id).where(Visit.id == visit_id))
        return ticket_view(get_visit(public_id), now), False
