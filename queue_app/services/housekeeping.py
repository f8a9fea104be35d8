"""Closing what a day left open, so each morning starts with an empty queue."""
from sqlalchemy import select

from ..clock import centre_tz
from ..database import write_transaction
from ..domain.numbering import local_day
from ..extensions import db
from ..models import StepEvent, Visit
from . import publish

OPEN = ("waiting", "called", "serving", "parked")


def close_stale_visits(now):
    """Visits from earlier days still open become 'expired'; their steps are kept, marked."""
    today = local_day(now, str(centre_tz()))
    with write_transaction():
        stale = db.session.scalars(
            select(Visit).where(Visit.day < today, Visit.status.in_(OPEN))).all()
        for visit in stale:
            visit.status = "expired"
            visit.ended_at = now
            for step in visit.steps:
                if step.status in OPEN or step.status == "pending":
                    step.status = "expired"
                    db.session.add(StepEvent(step_id=step.id, kind="expired", at=now))
        count = len(stale)
    if count:
        publish.queue_changed(now)
    return count
