"""Issuing tickets: one visit, one number, its steps in the order asked for."""
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import centre_tz
from ..database import increment, record, write_transaction
from ..domain import visit_flow
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.lifecycle import StepEventKind, VisitSource
from ..domain.numbering import format_number, local_day
from ..extensions import db
from ..models import Step, StepEvent, TicketCounter, Visit
from .catalog import services_by_code
from .intake import admit
from .queue_state import get_visit, ticket_view


def next_sequence(prefix, day):
    """Bump the day's counter for this prefix inside the current transaction.

    One upsert statement: the row lock it takes serialises concurrent issuers on
    PostgreSQL, and a rolled-back ticket rolls its number back too, so there are no gaps.
    """
    stmt = increment(TicketCounter, {"prefix": prefix, "day": day}, "last")
    return db.session.execute(stmt.returning(TicketCounter.last)).scalar_one()


def new_visit(services, lang, priority, now, principal, day, source=VisitSource.WALK_IN,
              appointment_at=None, idempotency_key=None, digest=None):
    """A numbered visit queued for its first service; call inside a write transaction.

    An appointment's visit counts as urgent as a priority one for the queue it joins: it
    is due now and goes ahead of walk-ins, so their places move."""
    prefix = services[0].prefix
    public_id = secrets.token_urlsafe(12)
    issued = visit_flow.issue([s.id for s in services], now,
                              ahead=bool(priority) or source == VisitSource.APPOINTMENT,
                              ref=public_id)
    visit = Visit(
        public_id=public_id, day=day, number=_provisional(public_id),
        lang=lang, priority=priority, source=source, status=issued.state.status,
        current_position=issued.state.current, created_at=now, appointment_at=appointment_at,
        idempotency_key=idempotency_key, request_digest=digest,
        issued_by_device_id=principal.device.id if principal.device else None,
        issued_by_staff_id=principal.staff.id if principal.staff else None)
    for position, (service, step) in enumerate(zip(services, issued.state.steps)):
        first = position == 0
        visit.steps.append(Step(
            position=position, service=service, status=step.status,
            queued_at=now if first else None,
            events=[StepEvent(kind=StepEventKind.QUEUED, at=now)] if first else []))
    db.session.add(visit)
    db.session.flush()
    # The number last: the counter row's lock serialises every issuer of this prefix until
    # the commit, so the inserts above happen before it is taken, not while it is held.
    visit.number = format_number(prefix, next_sequence(prefix, day))
    db.session.flush()
    record(*issued.events)
    return visit


def _provisional(public_id):
    """A placeholder number, unique like the visit's id, that never leaves the transaction
    (Visit.number is 12 characters; real numbers never start with "~")."""
    return "~" + public_id[:11]


def remember_promise(visit, view):
    """Keep the wait the visitor is told now, for the estimate-accuracy report."""
    visit.steps[0].promised_wait_minutes = view["estimated_wait_minutes"]


def _replay(day, key, digest, now):
    visit_id = db.session.scalar(
        select(Visit.public_id).where(Visit.day == day, Visit.idempotency_key == key))
    if visit_id is None:
        return None
    visit = get_visit(visit_id)
    if digest is not None and visit.request_digest not in (None, digest):
        raise Conflict("This Idempotency-Key was already used for a different request.",
                       code="idempotency_key_reused", status=422)
    return ticket_view(visit, now)


def issue_ticket(service_codes, lang, priority, now, principal, idempotency_key=None,
                 digest=None):
    """Returns (ticket view, replayed). A repeated Idempotency-Key returns the first ticket."""
    day = local_day(now, str(centre_tz()))
    if idempotency_key:
        replay = _replay(day, idempotency_key, digest, now)
        if replay is not None:
            return replay, True
    # Before the write: an estimate needs no lock, and the next free times are a search.
    admit([s for s in services_by_code(service_codes) if s.walk_in], now)
    try:
        with write_transaction():
            services = services_by_code(service_codes)
            closed = [s.code for s in services if not s.walk_in]
            if closed:
                raise InvalidInput(f"Only by appointment: {', '.join(closed)}.",
                                   code="not_walk_in", services=closed)
            visit = new_visit(services, lang, priority, now, principal, day,
                              idempotency_key=idempotency_key, digest=digest)
            # Inside the transaction: the position is exact and no second one is opened.
            view = ticket_view(visit, now)
            remember_promise(visit, view)
    except IntegrityError:
        # Two retries with one key raced; the other insert won. Hand back its ticket.
        replay = _replay(day, idempotency_key, digest, now) if idempotency_key else None
        if replay is None:
            raise
        return replay, True
    return view, False


def get_ticket(public_id, now):
    visit = get_visit(public_id)
    if visit is None:
        raise NotFound("No ticket with this id.", code="ticket_not_found")
    return ticket_view(visit, now)
