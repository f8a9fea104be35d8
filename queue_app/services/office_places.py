"""The back office's places: offices, zones and desks (which zone, which services a desk
may offer) — created, changed and deleted, validated and audited.

What is in use is not deleted: an office that owns services or has a booking history, a
zone with desks or live devices, a desk with a clerk signed in or visitors served there
(the reports need it: it is switched off instead). Desks, zones and offices are read per
request everywhere (kiosk, boards, desk sign-in), so a change is seen by every process at
once; an office's change also raises its calendar version, as every calendar change does,
so no process's slot search answers from before it.
"""
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import office as rules
from ..domain import places
from ..domain.errors import Conflict, InvalidInput, NotFound, Problems
from ..extensions import db
from ..models import (Appointment, CalendarVersion, Closure, Desk, DeskSession, Device, Office,
                      OpeningRule, Service, Staff, Step, StepEvent, WaitlistEntry, Zone)
from . import audit
from .availability import bump_version
from .desk_sessions import get_desk
from .office_calendar import get_office
from .office_catalog import languages


def _fixed_code(fields, code, kind):
    if fields.get("code", code) != code:
        raise InvalidInput(f"A {kind}'s code cannot change (other records name it).",
                           code="code_fixed", field="code")


def _unknown_fields(fields, allowed):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(unknown)}.", code="unknown_field",
                           field=unknown[0])


def _missing(fields, required, problems):
    for field in required:
        if field not in fields:
            problems.note(InvalidInput(f"Missing: {field}.", code="missing_field",
                                       field=field))


def _code_and_names(fields):
    """A new office's or zone's code and names, or every problem of them at once."""
    problems = Problems()
    _missing(fields, ("code", "names"), problems)
    code = problems.check(rules.check_code, fields["code"]) if "code" in fields else None
    names = problems.check(rules.check_names, fields["names"], languages()) \
        if "names" in fields else None
    problems.raise_any()
    return code, names


def _flush_unique(what, code):
    """Two admins creating the same code at once: the database's unique index decides, and
    the loser hears 409 like anyone who was second."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(f"A {what} {code!r} exists already.", code=f"{what}_exists",
                       field="code") from None


# --- Offices ----------------------------------------------------------------------------

OFFICE_FIELDS = ("code", "names")


def office_view(office, service_codes=None):
    if service_codes is None:
        service_codes = list(db.session.scalars(
            select(Service.code).where(Service.office_id == office.id)
            .order_by(Service.sort_order, Service.id)))
    return {"code": office.code, "names": office.names, "services": service_codes,
            "missing_names": rules.missing_translations(office.names, languages())}


def _named_snapshot(place):
    """What the audit log keeps of an office or a zone: its code and names."""
    return {"code": place.code, "names": place.names}


def list_offices():
    offices = db.session.scalars(select(Office).order_by(Office.id)).all()
    by_office = {}
    for office_id, code in db.session.execute(
            select(Service.office_id, Service.code).order_by(Service.sort_order, Service.id)):
        by_office.setdefault(office_id, []).append(code)
    return [office_view(o, by_office.get(o.id, [])) for o in offices]


def create_office(actor, fields, now):
    _unknown_fields(fields, OFFICE_FIELDS)
    code, names = _code_and_names(fields)
    with write_transaction():
        if db.session.scalar(select(Office.id).where(Office.code == code)):
            raise Conflict(f"An office {code!r} exists already.", code="office_exists",
                           field="code")
        office = Office(code=code, names=names)
        db.session.add(office)
        _flush_unique("office", code)
        bump_version(office.id)
        audit.note(actor, rules.AuditAction.OFFICE_CREATED, f"office:{code}", None,
                   _named_snapshot(office), now)
        view = office_view(office, [])
    return view


def update_office(actor, code, fields, now):
    _unknown_fields(fields, OFFICE_FIELDS)
    _fixed_code(fields, code, "office")
    names = rules.check_names(fields["names"], languages()) if "names" in fields else None
    with write_transaction():
        office = get_office(code)
        before = _named_snapshot(office)
        if names is not None:
            office.names = names
        after = _named_snapshot(office)
        if after != before:
            bump_version(office.id)
            audit.note(actor, rules.AuditAction.OFFICE_CHANGED, f"office:{code}",
                       *rules.changed(before, after), now)
        view = office_view(office)
    return view


def office_usage(office):
    """Why an office cannot be deleted, as (code, message), or None."""
    services = db.session.scalar(select(func.count(Service.id)).where(
        Service.office_id == office.id))
    if services:
        return ("office_in_use", f"{services} service(s) belong to this office. Move them "
                "to another office or delete them first.")
    history = db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.office_id == office.id)) or db.session.scalar(
        select(func.count(WaitlistEntry.id)).where(WaitlistEntry.office_id == office.id))
    if history:
        return ("office_has_history", "Appointments were booked with this office; their "
                "records need it. It stays, with no services.")
    return None


def delete_office(actor, code, now):
    with write_transaction():
        office = get_office(code)
        reason = office_usage(office)
        if reason:
            raise Conflict(reason[1], code=reason[0])
        before = _named_snapshot(office)
        # Its calendar goes with it: nothing else names an office without services.
        for model in (OpeningRule, Closure, CalendarVersion):
            db.session.execute(delete(model).where(model.office_id == office.id))
        db.session.delete(office)
        audit.note(actor, rules.AuditAction.OFFICE_DELETED, f"office:{code}", before, None,
                   now)


# --- Zones ------------------------------------------------------------------------------

ZONE_FIELDS = ("code", "names")


def zone_view(zone, desk_codes=None, device_names=None):
    if desk_codes is None:
        desk_codes = list(db.session.scalars(
            select(Desk.code).where(Desk.zone_id == zone.id).order_by(Desk.id)))
    if device_names is None:
        device_names = list(db.session.scalars(
            select(Device.name).where(Device.zone_id == zone.id, Device.revoked_at.is_(None))
            .order_by(Device.name)))
    return {"code": zone.code, "names": zone.names, "desks": desk_codes,
            "devices": device_names,
            "missing_names": rules.missing_translations(zone.names, languages())}


def list_zones():
    zones = db.session.scalars(select(Zone).order_by(Zone.id)).all()
    desks, devices = {}, {}
    for zone_id, code in db.session.execute(select(Desk.zone_id, Desk.code).order_by(Desk.id)):
        desks.setdefault(zone_id, []).append(code)
    for zone_id, name in db.session.execute(
            select(Device.zone_id, Device.name).where(Device.revoked_at.is_(None))
            .order_by(Device.name)):
        devices.setdefault(zone_id, []).append(name)
    return [zone_view(z, desks.get(z.id, []), devices.get(z.id, [])) for z in zones]


def get_zone(code):
    zone = db.session.scalar(select(Zone).where(Zone.code == code))
    if zone is None:
        raise NotFound(f"No zone {code!r}.", code="zone_not_found")
    return zone


def create_zone(actor, fields, now):
    _unknown_fields(fields, ZONE_FIELDS)
    code, names = _code_and_names(fields)
    with write_transaction():
        if db.session.scalar(select(Zone.id).where(Zone.code == code)):
            raise Conflict(f"A zone {code!r} exists already.", code="zone_exists",
                           field="code")
        zone = Zone(code=code, names=names)
        db.session.add(zone)
        _flush_unique("zone", code)
        audit.note(actor, rules.AuditAction.ZONE_CREATED, f"zone:{code}", None,
                   _named_snapshot(zone), now)
        view = zone_view(zone, [], [])
    return view


def update_zone(actor, code, fields, now):
    _unknown_fields(fields, ZONE_FIELDS)
    _fixed_code(fields, code, "zone")
    names = rules.check_names(fields["names"], languages()) if "names" in fields else None
    with write_transaction():
        zone = get_zone(code)
        before = _named_snapshot(zone)
        if names is not None:
            zone.names = names
        after = _named_snapshot(zone)
        if after != before:
            audit.note(actor, rules.AuditAction.ZONE_CHANGED, f"zone:{code}",
                       *rules.changed(before, after), now)
        view = zone_view(zone)
    return view


def zone_usage(zone):
    desks = db.session.scalar(select(func.count(Desk.id)).where(Desk.zone_id == zone.id))
    if desks:
        return ("zone_in_use", f"{desks} desk(s) stand in this zone. Move them to another "
                "zone or delete them first.")
    devices = list(db.session.scalars(select(Device.name).where(
        Device.zone_id == zone.id, Device.revoked_at.is_(None))))
    if devices:
        return ("zone_in_use", f"Device(s) {', '.join(sorted(devices))} stand in this zone. "
                "Revoke them first.")
    return None


def delete_zone(actor, code, now):
    with write_transaction():
        zone = get_zone(code)
        reason = zone_usage(zone)
        if reason:
            raise Conflict(reason[1], code=reason[0])
        before = _named_snapshot(zone)
        # Revoked devices keep their row (their history) but no longer name the zone.
        revoked = list(db.session.scalars(select(Device.name).where(Device.zone_id == zone.id)))
        if revoked:
            before["revoked_devices"] = sorted(revoked)
            db.session.execute(update(Device).where(Device.zone_id == zone.id)
                               .values(zone_id=None))
        db.session.delete(zone)
        audit.note(actor, rules.AuditAction.ZONE_DELETED, f"zone:{code}", before, None, now)


# --- Desks ------------------------------------------------------------------------------

DESK_FIELDS = ("code", "name", "zone", "services", "active")


def desk_view(desk, signed_in=None):
    codes = [s.code for s in desk.services]
    return {"code": desk.code, "name": desk.name, "zone": desk.zone.code, "services": codes,
            "offers_all": not codes, "active": desk.active, "signed_in": signed_in}


def _desk_snapshot(desk):
    return {"code": desk.code, "name": desk.name, "zone": desk.zone.code,
            "services": [s.code for s in desk.services], "active": desk.active}


def _signed_in():
    return dict(db.session.execute(
        select(DeskSession.desk_id, Staff.username).join(Staff, Staff.id == DeskSession.staff_id)
        .where(DeskSession.ended_at.is_(None))).all())


def list_desks(zone=None, active=None):
    query = (select(Desk).options(selectinload(Desk.zone), selectinload(Desk.services))
             .order_by(Desk.id))
    if zone:
        query = query.join(Zone).where(Zone.code == zone)
    if active is not None:
        query = query.where(Desk.active.is_(active))
    signed_in = _signed_in()
    return [desk_view(d, signed_in.get(d.id)) for d in db.session.scalars(query)]


def one_desk(code):
    desk = get_desk(code)
    return desk_view(desk, _signed_in().get(desk.id))


def _zone_for(code):
    zone = db.session.scalar(select(Zone).where(Zone.code == code)) \
        if isinstance(code, str) else None
    if zone is None:
        raise InvalidInput(f"Unknown zone {code!r}.", code="unknown_zone", field="zone")
    return zone


def _services_for(codes):
    rows = {s.code: s for s in db.session.scalars(select(Service).where(Service.code.in_(codes)))}
    unknown = [c for c in codes if c not in rows]
    if unknown:
        raise InvalidInput(f"Unknown service: {', '.join(unknown)}.", code="unknown_service",
                           field="services", services=unknown)
    return sorted((rows[c] for c in codes), key=lambda s: (s.sort_order, s.id))


def _check_desk(fields, problems):
    _unknown_fields(fields, DESK_FIELDS)
    out = dict(fields)
    if "code" in out:
        problems.check(rules.check_code, out["code"])
    if "name" in out:
        out["name"] = problems.check(places.check_desk_name, out["name"])
    if "services" in out:
        out["services"] = problems.check(places.check_service_list, out["services"])
    if "active" in out and not isinstance(out["active"], bool):
        problems.note(rules.invalid("active", "Yes or no."))
    return out


def _desk_refs(fields, problems, zone=None):
    """The desk's zone and services (the given zone when the fields name none), each
    problem noted; then every problem of the desk is raised at once."""
    if "zone" in fields:
        zone = problems.check(_zone_for, fields["zone"])
    services = None
    if isinstance(fields.get("services"), list):
        services = problems.check(_services_for, fields["services"])
    problems.raise_any()
    return zone, services


def _open_session(desk_id):
    return db.session.scalar(select(DeskSession).where(
        DeskSession.desk_id == desk_id, DeskSession.ended_at.is_(None)).with_for_update())


def create_desk(actor, fields, now):
    problems = Problems()
    _missing(fields, ("code", "name", "zone"), problems)
    fields = _check_desk(fields, problems)
    with write_transaction():
        zone, services = _desk_refs(fields, problems)
        services = services or []
        if db.session.scalar(select(Desk.id).where(Desk.code == fields["code"])):
            raise Conflict(f"A desk {fields['code']!r} exists already.", code="desk_exists",
                           field="code")
        desk = Desk(code=fields["code"], name=fields["name"], zone=zone, services=services,
                    active=fields.get("active", True))
        db.session.add(desk)
        _flush_unique("desk", fields["code"])
        audit.note(actor, rules.AuditAction.DESK_CREATED, f"desk:{desk.code}", None,
                   _desk_snapshot(desk), now)
        view = desk_view(desk)
    return view


def update_desk(actor, code, fields, now):
    problems = Problems()
    fields = _check_desk(fields, problems)
    _fixed_code(fields, code, "desk")
    with write_transaction():
        desk = get_desk(code)
        before = _desk_snapshot(desk)
        zone, services = _desk_refs(fields, problems, desk.zone)
        moving = zone.id != desk.zone_id
        closing = fields.get("active") is False and desk.active
        if moving or closing:
            # The board of the zone announces calls to this desk: not while someone works
            # here. (A change of services acts at the clerk's next sign-in, like a change
            # of competencies.)
            session = _open_session(desk.id)
            if session is not None:
                raise Conflict(f"{session.staff.username} is signed in at {desk.name}: they "
                               "sign out first.", code="desk_in_use",
                               field="zone" if moving else "active")
        desk.zone = zone
        if "name" in fields:
            desk.name = fields["name"]
        if services is not None:
            desk.services = services
        if "active" in fields:
            desk.active = fields["active"]
        db.session.flush()
        after = _desk_snapshot(desk)
        if after != before:
            audit.note(actor, rules.AuditAction.DESK_CHANGED, f"desk:{code}",
                       *rules.changed(before, after), now)
        view = desk_view(desk, _signed_in().get(desk.id))
    return view


def desk_usage(desk):
    session = db.session.scalar(select(DeskSession).where(
        DeskSession.desk_id == desk.id, DeskSession.ended_at.is_(None)))
    if session is not None:
        return ("desk_in_use", f"{session.staff.username} is signed in at {desk.name}.")
    history = db.session.scalar(select(func.count(DeskSession.id)).where(
        DeskSession.desk_id == desk.id)) or db.session.scalar(
        select(func.count(Step.id)).where(Step.desk_id == desk.id)) or db.session.scalar(
        select(func.count(StepEvent.id)).where(StepEvent.desk_id == desk.id))
    if history:
        return ("desk_has_history", "Visitors were served at this desk; the reports need it. "
                "Switch it off instead: nobody can sign in there any more.")
    return None


def delete_desk(actor, code, now):
    with write_transaction():
        desk = get_desk(code)
        reason = desk_usage(desk)
        if reason:
            raise Conflict(reason[1], code=reason[0])
        before = _desk_snapshot(desk)
        db.session.delete(desk)   # its desk_services rows go with it (the relationship)
        audit.note(actor, rules.AuditAction.DESK_DELETED, f"desk:{code}", before, None, now)
