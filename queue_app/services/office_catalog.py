"""The back office's services: create, change, (de)activate, delete — validated, audited,
and seen by every process at once (the catalogue is read per request; slot searches are
keyed by each office's calendar version, raised here)."""
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain import office as rules
from ..domain.errors import Conflict, InvalidInput, NotFound, Problems
from ..domain.lifecycle import HOLDING_APPOINTMENT, OPEN_VISIT, StepStatus
from ..extensions import db
from ..models import (Appointment, Desk, Office, OpeningRule, Service, Step, Visit,
                      competencies, desk_services, desk_session_services)
from . import audit
from .availability import bump_version

FIELDS = ("code", "office", "prefix", "names", "documents", "duration_minutes", "walk_in",
          "bookable", "target_wait_minutes", "active")
REQUIRED = ("code", "office", "prefix", "names", "duration_minutes")
# A step in one of these is a visitor the service still owes.
OWED = (StepStatus.PENDING, StepStatus.WAITING, StepStatus.CALLED, StepStatus.SERVING,
        StepStatus.PARKED)


def languages():
    return tuple(current_app.config["LANGUAGES"])


def service_view(s):
    langs = languages()
    return {"code": s.code, "office": s.office.code, "prefix": s.prefix, "names": s.names,
            "documents": s.documents or {}, "duration_minutes": s.duration_minutes,
            "walk_in": s.walk_in, "bookable": s.bookable,
            "target_wait_minutes": s.target_wait_minutes, "active": s.active,
            "missing_names": rules.missing_translations(s.names, langs),
            "missing_documents": rules.missing_translations(s.documents or {}, langs)
            if s.documents else []}


def _snapshot(s):
    view = service_view(s)
    view.pop("missing_names")
    view.pop("missing_documents")
    return view


def list_services(office=None, search=None, active=None):
    query = (select(Service).options(selectinload(Service.office))
             .order_by(Service.sort_order, Service.id))
    if office:
        query = query.join(Office).where(Office.code == office)
    if active is not None:
        query = query.where(Service.active.is_(active))
    found = [service_view(s) for s in db.session.scalars(query)]
    if search:
        needle = search.casefold()
        found = [s for s in found if needle in s["code"].casefold()
                 or any(needle in n.casefold() for n in s["names"].values())]
    return found


def get_service(code):
    service = db.session.scalar(select(Service).where(Service.code == code))
    if service is None:
        raise NotFound(f"No service {code!r}.", code="service_not_found")
    return service


def _office(code):
    office = db.session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise InvalidInput(f"Unknown office {code!r}.", code="unknown_office", field="office")
    return office


def _check(fields, problems):
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(unknown)}.", code="unknown_field",
                           field=unknown[0])
    return rules.check_service_fields(fields, languages(), problems)


def _checked(fields, missing=()):
    """The fields cleaned, or every problem at once: missing ones, bad values and an
    unknown office (looked up here only to be named with the rest)."""
    problems = Problems()
    for field in missing:
        problems.note(InvalidInput(f"Missing: {field}.", code="missing_field", field=field))
    fields = _check(fields, problems)
    if problems.found and isinstance(fields.get("office"), str):
        problems.check(_office, fields["office"])
    problems.raise_any()
    return fields


def _offer_in_rules(service, office_id, offered):
    """A bookable service is offered by its office's opening rules; otherwise by none."""
    for rule in db.session.scalars(select(OpeningRule).where(OpeningRule.office_id == office_id)):
        codes = [c for c in rule.services if c != service.code]
        if offered:
            codes.append(service.code)
        rule.services = codes


def create_service(actor, fields, now):
    fields = _checked(fields, [f for f in REQUIRED if f not in fields])
    with write_transaction():
        office = _office(fields["office"])
        if db.session.scalar(select(Service.id).where(Service.code == fields["code"])):
            raise Conflict(f"A service {fields['code']!r} exists already.",
                           code="service_exists", field="code")
        last = db.session.scalar(select(func.max(Service.sort_order))) or 0
        service = Service(
            code=fields["code"], office=office, prefix=fields["prefix"],
            names=fields["names"], documents=fields.get("documents", {}),
            duration_minutes=fields["duration_minutes"], walk_in=fields.get("walk_in", True),
            bookable=fields.get("bookable", True),
            target_wait_minutes=fields.get("target_wait_minutes", 30),
            active=fields.get("active", True), sort_order=last + 1)
        db.session.add(service)
        db.session.flush()
        _offer_in_rules(service, office.id, service.bookable)
        bump_version(office.id)
        view = service_view(service)
        audit.note(actor, rules.AuditAction.SERVICE_CREATED, f"service:{service.code}", None,
                   _snapshot(service), now)
    return view


def _future_appointments(service, now):
    rows = db.session.scalars(select(Appointment).where(
        Appointment.office_id == service.office_id, Appointment.end > now,
        Appointment.status.in_(list(HOLDING_APPOINTMENT)))).all()
    return [a for a in rows if service.code in a.services]


def update_service(actor, code, fields, now):
    fields = _checked(fields)
    with write_transaction():
        service = get_service(code)
        if fields.get("code", code) != code:
            raise InvalidInput("A service's code cannot change (bookings and rules name it).",
                               code="code_fixed", field="code")
        before = _snapshot(service)
        old_office = service.office_id
        if "office" in fields and fields["office"] != service.office.code:
            office = _office(fields["office"])
            if _future_appointments(service, now):
                raise Conflict("Appointments are booked for this service: it cannot move to "
                               "another office.", code="service_booked", field="office")
            service.office = office
        for field in ("prefix", "names", "documents", "duration_minutes", "walk_in",
                      "bookable", "target_wait_minutes", "active"):
            if field in fields:
                setattr(service, field, fields[field])
        db.session.flush()
        if service.office_id != old_office or "bookable" in fields:
            _offer_in_rules(service, old_office, False)
            _offer_in_rules(service, service.office_id, service.bookable)
        for office_id in {old_office, service.office_id}:
            bump_version(office_id)
        after = _snapshot(service)
        if after != before:
            audit.note(actor, rules.AuditAction.SERVICE_CHANGED, f"service:{code}",
                       *rules.changed(before, after), now)
        view = service_view(service)
    return view


def usage(service, now):
    """Why a service cannot be deleted, or None: visitors it still owes, appointments
    booked for it, or a history of visits and desk sessions its statistics need."""
    owed = db.session.scalar(select(func.count(Step.id)).join(Visit).where(
        Step.service_id == service.id, Step.status.in_(OWED),
        Visit.status.in_(list(OPEN_VISIT))))
    if owed:
        return ("service_in_use", f"{owed} visitor(s) still wait for this service. "
                "Deactivate it: nobody new can choose it, and they are still served.")
    booked = _future_appointments(service, now)
    if booked:
        return ("service_booked", f"{len(booked)} appointment(s) are booked for this service. "
                "Deactivate it instead, or wait until they are over.")
    only_here = desks_offering_only(service.id)
    if only_here:
        return ("service_only_offer", f"Desk(s) {', '.join(only_here)} offer this service "
                "alone; without it they would offer every service. Change them first.")
    history = db.session.scalar(select(func.count(Step.id)).where(
        Step.service_id == service.id)) or db.session.scalar(
        select(func.count()).select_from(desk_session_services).where(
            desk_session_services.c.service_id == service.id))
    if history:
        return ("service_has_history", "Visitors were served for this service; its "
                "statistics need it. Deactivate it instead.")
    return None


def delete_service(actor, code, now):
    with write_transaction():
        service = get_service(code)
        reason = usage(service, now)
        if reason:
            raise Conflict(reason[1], code=reason[0])
        before = _snapshot(service)
        _offer_in_rules(service, service.office_id, False)
        db.session.execute(delete(competencies).where(competencies.c.service_id == service.id))
        db.session.execute(delete(desk_services).where(desk_services.c.service_id == service.id))
        bump_version(service.office_id)
        db.session.delete(service)
        audit.note(actor, rules.AuditAction.SERVICE_DELETED, f"service:{code}", before, None, now)


def desks_offering_only(service_id):
    """Desks whose list names this service alone: deleting it would open them to every
    service (domain.places), so that is refused."""
    listed = select(desk_services.c.desk_id).where(desk_services.c.service_id == service_id)
    alone = (select(desk_services.c.desk_id).where(desk_services.c.desk_id.in_(listed))
             .group_by(desk_services.c.desk_id).having(func.count() == 1))
    return list(db.session.scalars(select(Desk.code).where(Desk.id.in_(alone))
                                   .order_by(Desk.id)))
