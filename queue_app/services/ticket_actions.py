"""What the clerk holding a ticket does with it: recall, start, finish, no-show, transfer,
park; and resume for a parked visitor who is back with the missing document."""
from sqlalchemy import select

from ..database import write_transaction
from ..domain.errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..models import Step, StepEvent, Visit
from . import publish
from .catalog import services_by_code
from .queue_state import current_step, ticket_view

HELD = ("called", "serving")


def _locked_visit(public_id):
    visit = db.session.scalar(
        select(Visit).where(Visit.public_id == public_id).with_for_update()
        .execution_options(populate_existing=True))
    if visit is None:
        raise NotFound("No ticket with this id.", code="ticket_not_found")
    return visit


def _held_step(visit, staff, allowed):
    step = current_step(visit)
    if step is None or step.status not in HELD or step.staff_id != staff.id:
        raise Forbidden("This ticket is not held by you.", code="not_holding")
    if step.status not in allowed:
        raise Conflict(f"Not possible while the ticket is {step.status}.",
                       code="invalid_transition", status_now=step.status)
    return step


def _record(step, kind, now, detail=None):
    db.session.add(StepEvent(step_id=step.id, kind=kind, at=now, desk_id=step.desk_id,
                             staff_id=step.staff_id, detail=detail))


def _advance(visit, step, now):
    """Queue the visit for its next pending step, or end it."""
    following = [s for s in visit.steps if s.position > step.position and s.status == "pending"]
    if following:
        nxt = min(following, key=lambda s: s.position)
        nxt.status = "waiting"
        nxt.queued_at = nxt.queued_at or now
        visit.current_position = nxt.position
        visit.status = "waiting"
        _record(nxt, "queued", now)
        return nxt
    visit.status = "done"
    visit.ended_at = now
    return None


def _act(public_id, staff, now, allowed, change, announce=False):
    """Shared frame: lock, check the holder, apply `change`, commit, publish.

    `change` returns the visit's next waiting step when it moved the visit on.
    """
    with write_transaction():
        visit = _locked_visit(public_id)
        step = _held_step(visit, staff, allowed)
        moved_to = change(visit, step)
        db.session.flush()
        view = ticket_view(visit, now)
    touched = {step.service_id}
    if moved_to is not None:
        touched.add(moved_to.service_id)
    publish.queue_changed(now, visit_ids=[public_id], service_ids=touched,
                          call=(step, True) if announce else None)
    return view


def recall(public_id, staff, now):
    def change(visit, step):
        step.recall_count += 1
        _record(step, "recalled", now)
    return _act(public_id, staff, now, ("called",), change, announce=True)


def start(public_id, staff, now):
    def change(visit, step):
        step.status = "serving"
        step.started_at = now
        visit.status = "serving"
        _record(step, "started", now)
    return _act(public_id, staff, now, ("called",), change)


def finish(public_id, staff, now):
    def change(visit, step):
        step.status = "done"
        step.started_at = step.started_at or step.called_at
        step.finished_at = now
        _record(step, "finished", now)
        return _advance(visit, step, now)
    return _act(public_id, staff, now, HELD, change)


def no_show(public_id, staff, now):
    def change(visit, step):
        step.status = "no_show"
        step.finished_at = now
        _record(step, "no_show", now)
        for later in visit.steps:
            if later.status == "pending":
                later.status = "skipped"
        visit.status = "no_show"
        visit.ended_at = now
    return _act(public_id, staff, now, ("called",), change)


def transfer(public_id, service_code, staff, now):
    """Send the visitor to another service next. They keep their number and their place
    in time: the new queue sees them as waiting since they first queued here."""
    def change(visit, step):
        (service,) = services_by_code([service_code])
        step.status = "transferred"
        step.finished_at = now
        _record(step, "transferred", now, detail=service.code)
        for later in visit.steps:
            if later.position > step.position:
                later.position += 1
        new = Step(position=step.position + 1, service=service, status="waiting",
                   queued_at=step.queued_at)
        visit.steps.append(new)
        visit.current_position = new.position
        visit.status = "waiting"
        db.session.flush()
        _record(new, "queued", now, detail="transfer")
        return new
    return _act(public_id, staff, now, HELD, change)


def park(public_id, staff, now):
    """The visitor must fetch a document; the desk is free for the next one."""
    def change(visit, step):
        step.status = "parked"
        visit.status = "parked"
        _record(step, "parked", now)
    return _act(public_id, staff, now, HELD, change)


def resume(public_id, staff, now):
    """Back with the document: waiting again at their old place in the queue."""
    if staff.role not in ("clerk", "supervisor"):
        raise Forbidden("Only clerks and supervisors resume tickets.", code="role_forbidden")
    with write_transaction():
        visit = _locked_visit(public_id)
        step = current_step(visit)
        if step is None or step.status != "parked":
            raise Conflict("Only a parked ticket can be resumed.", code="invalid_transition")
        step.status = "waiting"
        step.desk_id = None
        step.staff_id = None
        visit.status = "waiting"
        db.session.add(StepEvent(step_id=step.id, kind="resumed", at=now, staff_id=staff.id))
        db.session.flush()
        view = ticket_view(visit, now)
    publish.queue_changed(now, visit_ids=[public_id], service_ids=[step.service_id])
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
