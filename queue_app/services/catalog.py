"""The centre's catalogue: services, offices, desks, zones, as callers see them."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.errors import InvalidInput
from ..extensions import db
from ..models import Desk, DeskSession, Service, Zone, desk_session_services
from .i18n import localized


def list_services(lang):
    services = db.session.scalars(
        select(Service).where(Service.active.is_(True)).order_by(Service.sort_order, Service.id)
        .options(selectinload(Service.office))).all()
    return [{
        "code": s.code,
        "name": localized(s.names, lang),
        "office": s.office.code,
        "office_name": localized(s.office.names, lang),
        "prefix": s.prefix,
        "duration_minutes": s.duration_minutes,
        "walk_in": s.walk_in,
        "bookable": s.bookable,
        "target_wait_minutes": s.target_wait_minutes,
        "documents": documents_in(s, lang),
    } for s in services]


def documents_in(service, lang):
    """What to bring, in `lang`, else English, else German."""
    docs = service.documents
    return docs.get(lang) or docs.get("en") or docs.get("de", [])


def list_desks():
    desks = db.session.scalars(
        select(Desk).order_by(Desk.id).options(selectinload(Desk.zone))).all()
    return [{"code": d.code, "name": d.name, "zone": d.zone.code} for d in desks]


def services_by_code(codes, include_inactive=False):
    """Active services in the order asked for; unknown or inactive codes are a 422.

    A desk may still offer an inactive service (`include_inactive`): the visitors who were
    waiting for it when it was switched off are still served."""
    query = select(Service).where(Service.code.in_(codes))
    if not include_inactive:
        query = query.where(Service.active.is_(True))
    rows = db.session.scalars(query).all()
    by_code = {s.code: s for s in rows}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise InvalidInput(f"Unknown service: {', '.join(missing)}.", code="unknown_service",
                           services=missing)
    return [by_code[c] for c in codes]


def zones_serving(service_code, lang):
    """Names of the zones whose open desks serve this service now, busiest first: where a
    visitor will be called. Empty when no desk serves it at the moment."""
    busiest = db.session.execute(
        select(Zone.id, func.count())
        .select_from(DeskSession).join(Desk, DeskSession.desk_id == Desk.id)
        .join(Zone, Desk.zone_id == Zone.id)
        .join(desk_session_services, desk_session_services.c.desk_session_id == DeskSession.id)
        .join(Service, Service.id == desk_session_services.c.service_id)
        .where(DeskSession.ended_at.is_(None), Service.code == service_code)
        .group_by(Zone.id).order_by(func.count().desc(), Zone.id)).all()
    return [localized(db.session.get(Zone, zone_id).names, lang) for zone_id, _ in busiest]


def list_zones(lang=None):
    return [{"code": z.code, "name": localized(z.names, lang or "de")}
            for z in db.session.scalars(select(Zone).order_by(Zone.id))]
