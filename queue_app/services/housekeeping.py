"""Closing what a day left open, so each morning starts with an empty queue."""
from sqlalchemy import select

from ..clock import centre_tz
from ..database import write_transaction
from ..domain import visit_flow
from ..domain.lifecycle import OPEN_VISIT, StepEventKind
from ..domain.numbering import local_day
from ..extensions import db
from ..models import StepEvent, Visit
from .visit_rows import apply, visit_state


def close_stale_visits(now):
    """Visits from earlier days still open expire; their steps are kept, marked."""
    today = local_day(now, str(centre_tz()))
    with write_transaction():
        stale = db.session.scalars(
            select(Visit).where(Visit.day < today, Visit.status.in_(OPEN_VISIT))
            .with_for_update()).all()   # a second scheduler then finds them closed
        for visit in stale:
            before = {s.id: s.status for s in visit.steps}
            apply(visit, visit_flow.expire(visit_state(visit), now))
            visit.ended_at = now
            for step in visit.steps:
                if step.status != before[step.id]:
                    db.session.add(StepEvent(step_id=step.id, kind=StepEventKind.EXPIRED,
                                             at=now))
        count = len(stale)
    return count
