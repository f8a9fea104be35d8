"""The centre's catalogue: services, offices, desks, zones, as callers see them."""
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.errors import InvalidInput
from ..extensions import db
from ..models import Desk, DeskSession, Service, Step, Zone, desk_session_services
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


def all_service_names():
    """{code: names per language} of every service, inactive ones too."""
    return dict(db.session.execute(select(Service.code, Service.names)).all())


def documents_in(service, lang):
    """What to bring, in `lang`, else English, else German."""
    docs = service.documents
    return docs.get(lang) or docs.get("en") or docs.get("de", [])


def list_desks():
    """Desks open for sign-in, with the services each offers (none listed: every one)."""
    desks = db.session.scalars(
        select(Desk).where(Desk.active.is_(True)).order_by(Desk.id)
        .options(selectinload(Desk.zone), selectinload(Desk.services))).all()
    return [{"code": d.code, "name": d.name, "zone": d.zone.code,
             "services": [s.code for s in d.services]} for d in desks]


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


def services_served_now():
    """Codes of the services some open desk serves at this moment."""
    return set(db.session.scalars(
        select(Service.code).join(desk_session_services,
                                  desk_session_services.c.service_id == Service.id)
        .join(DeskSession, DeskSession.id == desk_session_services.c.desk_session_id)
        .where(DeskSession.ended_at.is_(None))))


def waiting_areas(service_codes, lang, now, history_days=28):
    """Per service code, the name of the waiting area (zone: wing, floor) to wait in: where
    its open desks are now (the busiest zone first), else where it was served lately, since
    offices keep to their floor. A service with neither is missing from the answer."""
    codes = list(dict.fromkeys(service_codes))
    if not codes:
        return {}
    open_now = db.session.execute(
        select(Service.code, Zone.id, func.count())
        .select_from(DeskSession).join(Desk, DeskSession.desk_id == Desk.id)
        .join(Zone, Desk.zone_id == Zone.id)
        .join(desk_session_services, desk_session_services.c.desk_session_id == DeskSession.id)
        .join(Service, Service.id == desk_session_services.c.service_id)
        .where(DeskSession.ended_at.is_(None), Service.code.in_(codes))
        .group_by(Service.code, Zone.id).order_by(func.count().desc(), Zone.id)).all()
    lately = db.session.execute(
        select(Service.code, Zone.id, func.count())
        .select_from(Step).join(Service, Step.service_id == Service.id)
        .join(Desk, Step.desk_id == Desk.id).join(Zone, Desk.zone_id == Zone.id)
        .where(Step.called_at >= now - timedelta(days=history_days), Service.code.in_(codes))
        .group_by(Service.code, Zone.id).order_by(func.count().desc(), Zone.id)).all()
    zone_ids = {}
    for code, zone_id, _count in [*open_now, *lately]:
        zone_ids.setdefault(code, zone_id)
    names = {z.id: localized(z.names, lang) for z in db.session.scalars(
        select(Zone).where(Zone.id.in_(set(zone_ids.values()))))}
    return {code: names[zone_id] for code, zone_id in zone_ids.items()}


def list_zones(lang=None):
    return [{"code": z.code, "name": localized(z.names, lang or "de")}
            for z in db.session.scalars(select(Zone).order_by(Zone.id))]
