""""How was your visit?": one rating per ended visit, stored without anything that leads
back to the visitor, and the figures per service read from it."""
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..clock import centre_tz
from ..database import write_transaction
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.lifecycle import VisitStatus
from ..domain.numbering import local_day
from ..extensions import db
from ..models import Feedback, Service, Visit, feedback_services

COMMENT_MAX = 1000


def can_give(visit):
    return visit.status == VisitStatus.DONE and not visit.feedback_given


def give(public_id, rating, comment, now):
    """Store a rating for the ended visit `public_id`; once per visit."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("The rating must be a whole number from 1 to 5.",
                           code="invalid_rating", status=422)
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise InvalidInput(f"The comment may have at most {COMMENT_MAX} characters.",
                           code="comment_too_long", status=422)
    with write_transaction():
        visit = db.session.scalar(select(Visit).where(Visit.public_id == public_id))
        if visit is None:
            raise NotFound("No ticket with this id.", code="ticket_not_found")
        if visit.status != VisitStatus.DONE:
            raise Conflict("Feedback can be given once the visit is over.",
                           code="visit_not_ended")
        # The guarded update is what makes "once" hold for two taps at the same moment.
        marked = db.session.execute(
            update(Visit).where(Visit.id == visit.id, Visit.feedback_given.is_(False))
            .values(feedback_given=True).execution_options(synchronize_session=False))
        if marked.rowcount != 1:
            raise Conflict("Feedback for this visit was already given. Thank you!",
                           code="feedback_given")
        services = {step.service_id: step.service for step in visit.steps}
        db.session.add(Feedback(day=local_day(now, str(centre_tz())), rating=rating,
                                comment=comment, services=list(services.values())))
    return {"rating": rating, "comment": comment}


def by_service(first, last):
    """Per active service in catalogue order: `{service, count, mean_rating}` for the local
    days first..last (inclusive); mean_rating None without ratings."""
    rows = db.session.execute(
        select(feedback_services.c.service_id, func.count(Feedback.id),
               func.sum(Feedback.rating))
        .join(Feedback, Feedback.id == feedback_services.c.feedback_id)
        .where(Feedback.day >= first, Feedback.day <= last)
        .group_by(feedback_services.c.service_id)).all()
    figures = {service_id: (count, total) for service_id, count, total in rows}
    services = db.session.scalars(select(Service).where(Service.active.is_(True))
                                  .order_by(Service.sort_order, Service.id)).all()
    result = []
    for service in services:
        count, total = figures.get(service.id, (0, 0))
        result.append({"service": service.code, "count": count,
                       "mean_rating": round(total / count, 2) if count else None})
    return result


def comments(first, last, limit=200):
    """The period's comments, newest day first: `{day, rating, comment, services}`."""
    rows = db.session.scalars(
        select(Feedback).where(Feedback.day >= first, Feedback.day <= last,
                               Feedback.comment.is_not(None))
        .options(selectinload(Feedback.services))
        .order_by(Feedback.day.desc(), Feedback.id.desc()).limit(limit)).all()
    return [{"day": f.day.isoformat(), "rating": f.rating, "comment": f.comment,
             "services": [s.code for s in f.services]} for f in rows]
