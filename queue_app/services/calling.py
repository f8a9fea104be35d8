"""Call next: the desk asks, the domain decides, the database makes sure only one desk wins."""
from sqlalchemy import select

from ..database import is_sqlite, write_transaction
from ..domain import visit_flow
from ..domain.errors import Conflict, Forbidden
from ..domain.lifecycle import HELD, StepEventKind, StepStatus
from ..domain.ordering import pick_next, priority_streak
from ..extensions import db
from ..models import Step, StepEvent
from .desk_sessions import get_desk, open_session
from .queue_state import call_policy, ticket_view, waiting_heads
from .visit_rows import apply, visit_state

MAX_ATTEMPTS = 50


def _recent_reasons(service_ids, limit):
    return db.session.scalars(
        select(Step.call_reason).where(Step.service_id.in_(service_ids),
                                       Step.called_at.is_not(None))
        .order_by(Step.called_at.desc(), Step.id.desc()).limit(limit)).all()


def _claim(step_id):
    """Lock the chosen step if it is still waiting; None if another desk has it.

    On PostgreSQL SKIP LOCKED lets a desk pass over a step that a concurrent call-next is
    taking instead of waiting for it; the status check sees that call's committed result.
    On SQLite the transaction holds the write lock already, so a plain read is final.
    """
    query = select(Step).where(Step.id == step_id, Step.status == StepStatus.WAITING)
    if not is_sqlite():
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query.execution_options(populate_existing=True))


def call_next(desk_code, staff, now):
    """The called ticket's view, or None when nobody waits for this desk's services."""
    with write_transaction():
        desk = get_desk(desk_code)
        # Locking the desk's session serialises double clicks at one desk.
        session = open_session(desk.id, lock=True)
        if session is None or session.staff_id != staff.id:
            raise Forbidden("Sign in at this desk first.", code="not_signed_in")
        busy = db.session.scalar(select(Step).where(
            Step.desk_id == desk.id, Step.status.in_(HELD)))
        if busy is not None:
            raise Conflict(f"{busy.visit.number} is still at this desk: finish, park or mark "
                           "no-show first.", code="desk_busy", ticket=busy.visit.public_id)
        services = session.services
        service_ids = [s.id for s in services]
        policy = call_policy(services)
        streak = priority_streak(_recent_reasons(service_ids, policy.max_priority_streak))
        codes = [s.code for s in services]
        step = choice = None
        skipped = []
        for _ in range(MAX_ATTEMPTS):
            # The rule decides among the few heads the database finds; a head another desk
            # is taking right now is skipped and the heads are read again without it.
            heads = waiting_heads(services, now, policy, skip=skipped)
            choice = pick_next(heads, codes, now, policy, streak)
            if choice is None:
                break
            step = _claim(choice.candidate.step_id)
            if step is not None:
                break
            skipped.append(choice.candidate.step_id)
        if step is None:
            return None
        visit = step.visit
        apply(visit, visit_flow.call(visit_state(visit), now))
        step.called_at = now
        step.desk = desk
        step.staff_id = staff.id
        step.call_reason = choice.reason.value
        db.session.add(StepEvent(step_id=step.id, kind=StepEventKind.CALLED, at=now,
                                 desk_id=desk.id, staff_id=staff.id,
                                 detail=choice.reason.value))
        db.session.flush()
        view = ticket_view(visit, now)
    return view
