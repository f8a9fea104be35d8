"""Who can serve what: competent active clerks per service, and the services at risk
because one person (or nobody) can serve them. The council's fluctuation question, and the
admin's competency matrix, read the same figures from here."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.lifecycle import DESK_ROLES
from ..extensions import db
from ..models import Service, Staff

# At most this many competent people and a single departure leaves the service unserved.
AT_RISK_AT_MOST = 1


def coverage():
    """Per active service, in catalogue order: `{service, competent_staff, at_risk,
    staff: [usernames]}`."""
    services = db.session.scalars(
        select(Service).where(Service.active.is_(True))
        .order_by(Service.sort_order, Service.id)).all()
    people = db.session.scalars(
        select(Staff).where(Staff.active.is_(True), Staff.role.in_(list(DESK_ROLES)))
        .options(selectinload(Staff.services)).order_by(Staff.username)).all()
    by_service = {s.id: [] for s in services}
    for person in people:
        for service in person.services:
            if service.id in by_service:
                by_service[service.id].append(person.username)
    return [{"service": s.code,
             "competent_staff": len(by_service[s.id]),
             "at_risk": len(by_service[s.id]) <= AT_RISK_AT_MOST,
             "staff": by_service[s.id]} for s in services]
