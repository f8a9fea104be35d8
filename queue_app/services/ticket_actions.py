"""What the clerk holding a ticket does with it: recall, start, finish, no-show, transfer,
park; and resume for a parked visitor who is back with the missing document.

The domain (`visit_flow`) decides whether a move is legal and what it changes; this module
locks the rows, checks who holds the ticket, stamps the times and keeps the audit trail.
"""
from sqlalchemy import select

from ..database import write_transaction
from ..domain import visit_flow
from ..domain.errors import Conflict, Forbidden, NotFound
from ..domain.lifecycle import DESK_ROLES, ENDED_VISIT, HELD, StepEventKind, StepStatus
from ..extensions import db
from ..models import Step, StepEvent, Visit
from .catalog import services_by_code
from .queue_state import current_step, ticket_view
from .visit_rows import apply, visit_state


def _locked_visit(public_id):
    visit = db.session.scalar(
        select(Visit).where(Visit.public_id == public_id).with_for_update()
        .execution_options(populate_existing=True))
    if visit is None:
        raise NotFound("No ticket with this id.", code="ticket_not_found")
    return visit


def _held_step(visit, staff):
    step = current_step(visit)
    if step is None or step.status not in HELD or step.staff_id != staff.id:
        raise Forbidden("This ticket is not held by you.", code="not_holding")
    return step


def _record(step, kind, now, detail=None):
    db.session.add(StepEvent(step_id=step.id, kind=kind, at=now, desk_id=step.desk_id,
                             staff_id=step.staff_id, detail=detail))


def _act(public_id, staff, now, change):
    """Shared frame: lock, check the holder, apply `change`, commit (its events go out
    after the commit)."""
    with write_transaction():
        visit = _locked_visit(public_id)
        step = _held_step(visit, staff)
        change(visit, step)
        db.session.flush()
        view = ticket_view(visit, now)
    return view


def _queued_next(visit, step, now):
    """After a move that queued the visit for a later step: stamp and record it."""
    nxt = current_step(visit)
    if nxt is not step and nxt.status == StepStatus.WAITING:
        nxt.queued_at = nxt.queued_at or now
        _record(nxt, StepEventKind.QUEUED, now)


def recall(public_id, staff, now):
    def change(visit, step):
        apply(visit, visit_flow.recall(visit_state(visit), now))
        step.recall_count += 1
        _record(step, StepEventKind.RECALLED, now)
    return _act(public_id, staff, now, change)


def start(public_id, staff, now):
    def change(visit, step):
        apply(visit, visit_flow.start(visit_state(visit), now))
        step.started_at = now
        _record(step, StepEventKind.STARTED, now)
    return _act(public_id, staff, now, change)


def finish(public_id, staff, now):
    def change(visit, step):
        moved = visit_flow.finish(visit_state(visit), now)
        apply(visit, moved)
        step.started_at = step.started_at or step.called_at
        step.finished_at = now
        _record(step, StepEventKind.FINISHED, now)
        if moved.state.status in ENDED_VISIT:
            visit.ended_at = now
        else:
            _queued_next(visit, step, now)
    return _act(public_id, staff, now, change)


def no_show(public_id, staff, now):
    def change(visit, step):
        apply(visit, visit_flow.no_show(visit_state(visit), now))
        step.finished_at = now
        _record(step, StepEventKind.NO_SHOW, now)
        visit.ended_at = now
    return _act(public_id, staff, now, change)


def transfer(public_id, service_code, staff, now):
    """Send the visitor to another service next. They keep their number and their place
    in time: the new queue sees them as waiting since they first queued here."""
    def change(visit, step):
        (service,) = services_by_code([service_code])
        moved = visit_flow.transfer(visit_state(visit), service.id, now)
        step.finished_at = now
        _record(step, StepEventKind.TRANSFERRED, now, detail=service.code)
        for later in visit.steps:
            if later.position > step.position:
                later.position += 1
        new = Step(position=step.position + 1, service=service,
                   status=StepStatus.WAITING, queued_at=step.queued_at)
        visit.steps.append(new)
        apply(visit, moved)
        db.session.flush()
        _record(new, StepEventKind.QUEUED, now, detail="transfer")
    return _act(public_id, staff, now, change)


def park(public_id, staff, now):
    """The visitor must fetch a document; the desk is free for the next one."""
    def change(visit, step):
        apply(visit, visit_flow.park(visit_state(visit), now))
        _record(step, StepEventKind.PARKED, now)
    return _act(public_id, staff, now, change)


def resume(public_id, staff, now):
    """Back with the document: waiting again at their old place in the queue."""
    if staff.role not in DESK_ROLES:
        raise Forbidden("Only clerks and supervisors resume tickets.", code="role_forbidden")
    with write_transaction():
        visit = _locked_visit(public_id)
        step = current_step(visit)
        if step is None or step.status != StepStatus.PARKED:
            raise Conflict("Only a parked ticket can be resumed.", code="invalid_transition")
        apply(visit, visit_flow.resume(visit_state(visit), now))
        step.desk_id = None
        step.staff_id = None
        db.session.add(StepEvent(step_id=step.id, kind=StepEventKind.RESUMED, at=now,
                                 staff_id=staff.id))
        db.session.flush()
        view = ticket_view(visit, now)
    return view


def leave(public_id, now):
    """The visitor gives up their place from the phone page (while waiting, or parked):
    whoever holds the ticket's id may, as they may follow it. Their later errands are
    given up too; everyone behind them moves up (announced after the commit)."""
    with write_transaction():
        visit = _locked_visit(public_id)
        step = current_step(visit)
        moved = visit_flow.leave(visit_state(visit), now)
        apply(visit, moved)
        step.finished_at = now
        visit.ended_at = now
        db.session.add(StepEvent(step_id=step.id, kind=StepEventKind.LEFT, at=now,
                                 desk_id=step.desk_id))
        db.session.flush()
        view = ticket_view(visit, now)
    return view


# The actions a URL may name, for the API and the desk page alike.
BY_NAME = {
    "recall": recall,
    "start": start,
    "finish": finish,
    "no-show": no_show,
    "park": park,
    "resume": resume,
}
