"""Issuing tickets: one visit, one number, its steps in the order asked for."""
import functools
import secrets
from types import SimpleNamespace

from sqlalchemy import String, bindparam, case, cast, func, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from ..clock import centre_tz
from ..database import increment, reads_kept, record, write_transaction
from ..domain import visit_flow
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.lifecycle import StepEventKind, VisitSource
from ..domain.numbering import format_number, local_day
from ..extensions import db
from ..models import Step, StepEvent, TicketCounter, Visit
from .catalog import services_by_code
from .intake import admit
from .queue_state import (ServiceStats, call_policy, get_visit, ticket_view,
                          waiting_position)


_VISITS, _STEPS, _EVENTS = Visit.__table__, Step.__table__, StepEvent.__table__


def next_sequence(prefix, day):
    """Bump the day's counter for this prefix inside the current transaction.

    One upsert statement: the row lock it takes serialises concurrent issuers on
    PostgreSQL, and a rolled-back ticket rolls its number back too, so there are no gaps.
    """
    stmt = increment(TicketCounter, {"prefix": prefix, "day": day}, "last")
    return db.session.connection().execute(stmt.returning(TicketCounter.last)).scalar_one()


def _formatted(last):
    """A counter's value as domain.numbering.format_number writes it, in SQL (3 digits at
    least: A007, A1000)."""
    digits = cast(last, String)
    return case((last < 1000, func.lpad(digits, 3, "0")), else_=digits)


_VISIT_COLUMNS = ("public_id", "day", "lang", "priority", "source", "status",
                  "current_position", "created_at", "appointment_at", "idempotency_key",
                  "request_digest", "issued_by_device_id", "issued_by_staff_id",
                  "feedback_given")
_STEP_COLUMNS = ("position", "service_id", "status", "queued_at", "promised_wait_minutes",
                 "recall_count")


def _typed(table, column, name):
    return cast(bindparam(name, type_=table.c[column].type), table.c[column].type)


@functools.lru_cache(maxsize=None)
def _numbered_statement(steps):
    """PostgreSQL: the counter's upsert, the visit with its number, its `steps` steps and
    the first step's QUEUED event as one statement. Built once per number of steps, with
    bind parameters: building it for every ticket was a fifth of a ticket's time."""
    taken = (pg_insert(TicketCounter)
             .values(prefix=bindparam("prefix"), day=bindparam("day"), last=1)
             .on_conflict_do_update(index_elements=["prefix", "day"],
                                    set_={"last": TicketCounter.last + 1})
             .returning(TicketCounter.last).cte("taken"))
    visit = _VISITS.insert().from_select(
        list(_VISIT_COLUMNS) + ["number"],
        select(*[_typed(_VISITS, c, f"v_{c}") for c in _VISIT_COLUMNS],
               bindparam("prefix", type_=String) + _formatted(taken.c.last))
    ).returning(_VISITS.c.id, _VISITS.c.number).cte("new_visit")
    rows = [select(visit.c.id, *[_typed(_STEPS, c, f"s{n}_{c}") for c in _STEP_COLUMNS])
            for n in range(steps)]
    new_steps = _STEPS.insert().from_select(
        ["visit_id"] + list(_STEP_COLUMNS), union_all(*rows) if steps > 1 else rows[0]
    ).returning(_STEPS.c.id, _STEPS.c.visit_id, _STEPS.c.position).cte("new_steps")
    queued = _EVENTS.insert().from_select(
        ["step_id", "kind", "at"],
        select(new_steps.c.id, cast(StepEventKind.QUEUED, _EVENTS.c.kind.type),
               _typed(_EVENTS, "at", "at")).where(new_steps.c.position == 0)
    ).cte("queued")
    return (select(visit.c.id, visit.c.number, new_steps.c.id)
            .join_from(visit, new_steps, new_steps.c.visit_id == visit.c.id)
            .where(new_steps.c.position == 0).add_cte(queued))


def _insert_numbered(prefix, day, visit_row, step_rows, at):
    """PostgreSQL: the ticket in one statement, the transaction's only write. The counter
    row's lock serialises every issuer of this prefix until the commit; in a
    write_transaction(single_write=True) the statement is the transaction, so the lock is
    held for its run inside the server only. All or nothing: a failed ticket (a raced
    Idempotency-Key) takes no number, so there are no gaps.
    Returns (visit id, number, first step's id)."""
    params = {"prefix": prefix, "day": day, "at": at,
              **{f"v_{c}": visit_row[c] for c in _VISIT_COLUMNS}}
    for n, row in enumerate(step_rows):
        params.update({f"s{n}_{c}": row[c] for c in _STEP_COLUMNS})
    return tuple(db.session.connection().execute(
        _numbered_statement(len(step_rows)), params).one())


def new_visit(services, lang, priority, now, principal, day, source=VisitSource.WALK_IN,
              appointment_at=None, idempotency_key=None, digest=None, place=False):
    """A numbered visit queued for its first service; call inside a write transaction.

    Written with plain INSERTs (no unit of work: it was a third of a ticket's time) and
    returned as a plain object that ticket_view reads (`id`, `public_id`, `number`, `steps`
    with their services). With `place`, the newcomer is placed before its rows are written,
    so the wait promised goes into the step's INSERT, and its view is `visit.view`.

    An appointment's visit counts as urgent as a priority one for the queue it joins: it
    is due now and goes ahead of walk-ins, so their places move."""
    prefix = services[0].prefix
    public_id = secrets.token_urlsafe(12)
    issued = visit_flow.issue([s.id for s in services], now,
                              ahead=bool(priority) or source == VisitSource.APPOINTMENT,
                              ref=public_id)
    visit = SimpleNamespace(
        id=None, public_id=public_id, number=None, lang=lang, priority=priority,
        source=source, status=issued.state.status, current_position=issued.state.current,
        created_at=now, appointment_at=appointment_at, view=None,
        steps=[SimpleNamespace(id=None, position=position, service=service,
                               service_id=service.id, status=step.status,
                               queued_at=now if position == 0 else None, desk=None,
                               call_reason=None, promised_wait_minutes=None)
               for position, (service, step) in enumerate(zip(services, issued.state.steps))])
    first = visit.steps[0]
    if place:
        position = waiting_position(first, visit, now, call_policy([first.service]))
        stats = ServiceStats([first.service_id], now)
        first.promised_wait_minutes = stats.estimate(first.service, position)
    visit_row = dict(
        public_id=public_id, day=day, lang=lang, priority=priority, source=source,
        status=visit.status, current_position=visit.current_position, created_at=now,
        appointment_at=appointment_at, idempotency_key=idempotency_key, request_digest=digest,
        issued_by_device_id=principal.device.id if principal.device else None,
        issued_by_staff_id=principal.staff.id if principal.staff else None,
        feedback_given=False)
    # Every column with a default is named: an INSERT inside a CTE gets no Python defaults.
    step_rows = [dict(position=step.position, service_id=step.service_id, status=step.status,
                      queued_at=step.queued_at, promised_wait_minutes=step.promised_wait_minutes,
                      recall_count=0)
                 for step in visit.steps]
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        visit.id, visit.number, first.id = _insert_numbered(prefix, day, visit_row, step_rows,
                                                            now)
    else:
        # SQLite's write lock is the whole database's for the whole transaction: the
        # number may as well come first, and statements cost no round trip.
        visit.number = format_number(prefix, next_sequence(prefix, day))
        visit.id = conn.execute(_VISITS.insert().returning(_VISITS.c.id),
                                {**visit_row, "number": visit.number}).scalar_one()
        for step, row in zip(visit.steps, step_rows):
            step.id = conn.execute(_STEPS.insert().returning(_STEPS.c.id),
                                   {**row, "visit_id": visit.id}).scalar_one()
        conn.execute(_EVENTS.insert(), dict(step_id=first.id, kind=StepEventKind.QUEUED,
                                            at=now))
    record(*issued.events)
    if place:
        visit.view = ticket_view(visit, now, positions={first.id: position}, stats=stats)
    return visit


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
    services = services_by_code(service_codes)
    admit([s for s in services if s.walk_in], now)
    try:
        with write_transaction(single_write=True):
            if not reads_kept():
                services = services_by_code(service_codes)
            closed = [s.code for s in services if not s.walk_in]
            if closed:
                raise InvalidInput(f"Only by appointment: {', '.join(closed)}.",
                                   code="not_walk_in", services=closed)
            # Placed inside the transaction: the position is exact, no second one opened.
            view = new_visit(services, lang, priority, now, principal, day,
                             idempotency_key=idempotency_key, digest=digest, place=True).view
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
