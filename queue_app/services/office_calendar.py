"""The back office's calendar: opening rules per office and closures. Every change raises
the office's calendar version in its transaction, so every process's slot search computes
afresh at once; a closure lists the appointments it hits and mails their holders."""
from datetime import timedelta

from sqlalchemy import delete, or_, select

from ..clock import centre_tz
from ..database import write_transaction
from ..domain import office as rules
from ..domain import slots
from ..domain.errors import InvalidInput, NotFound
from ..domain.lifecycle import HOLDING_APPOINTMENT
from ..extensions import db
from ..models import Appointment, Closure, Office, OpeningRule, Service
from . import audit, notifications
from .appointments import appointment_view, format_code, manage_token
from .availability import bump_version

RULE_FIELDS = ("weekdays", "start", "end", "parallel_desks", "slot_minutes", "services",
               "valid_from", "valid_until", "every_n_weeks", "anchor")


def all_offices():
    return [{"code": o.code, "names": o.names}
            for o in db.session.scalars(select(Office).order_by(Office.id))]


def get_office(code):
    office = db.session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NotFound(f"No office {code!r}.", code="office_not_found")
    return office


def rule_view(r):
    return {"weekdays": list(r.weekdays), "start": r.start_time, "end": r.end_time,
            "parallel_desks": r.parallel, "slot_minutes": r.slot_minutes,
            "services": list(r.services),
            "valid_from": r.valid_from.isoformat() if r.valid_from else None,
            "valid_until": r.valid_until.isoformat() if r.valid_until else None,
            "every_n_weeks": r.every_n_weeks,
            "anchor": r.anchor.isoformat() if r.anchor else None}


def opening_rules(office_code):
    office = get_office(office_code)
    rows = db.session.scalars(select(OpeningRule).where(OpeningRule.office_id == office.id)
                              .order_by(OpeningRule.id))
    return {"office": office.code, "rules": [rule_view(r) for r in rows]}


def _bookable_codes(office_id):
    return [c for c in db.session.scalars(select(Service.code).where(
        Service.office_id == office_id, Service.bookable.is_(True)).order_by(
        Service.sort_order, Service.id))]


def check_rules(office_code, items):
    """The rules cleaned, or InvalidInput naming the field."""
    office = get_office(office_code)
    unknown = sorted({k for item in items if isinstance(item, dict) for k in item}
                     - set(RULE_FIELDS))
    if unknown or not all(isinstance(item, dict) for item in items):
        raise InvalidInput(f"Unknown field: {', '.join(unknown) or 'rule'}.",
                           code="unknown_field", field="rules")
    return office, rules.check_opening_rules(items, _bookable_codes(office.id))


def replace_rules(actor, office_code, items, now):
    with write_transaction():
        office, cleaned = check_rules(office_code, items)
        before = opening_rules(office_code)["rules"]
        db.session.execute(delete(OpeningRule).where(OpeningRule.office_id == office.id))
        for item in cleaned:
            db.session.add(OpeningRule(
                office_id=office.id, weekdays=item["weekdays"], start_time=item["start"],
                end_time=item["end"], parallel=item["parallel_desks"],
                slot_minutes=item["slot_minutes"], services=item["services"],
                valid_from=item["valid_from"], valid_until=item["valid_until"],
                every_n_weeks=item["every_n_weeks"], anchor=item["anchor"]))
        db.session.flush()
        bump_version(office.id)
        result = opening_rules(office_code)
        if result["rules"] != before:
            audit.note(actor, rules.AuditAction.OPENING_RULES_REPLACED,
                       f"office:{office_code}", {"rules": before}, {"rules": result["rules"]},
                       now)
    return result


def preview_week(office_code, items, monday):
    """The week of slot starts the rules would give, per day (capacity and closures left
    out): what the admin checks before saving."""
    _office, cleaned = check_rules(office_code, items)
    tz = centre_tz()
    week = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        starts = []
        for item in cleaned:
            rule = rules.as_slot_rule(item)
            if rule.applies(day):
                starts += [(cell.strftime("%H:%M"), rule.parallel) for cell in
                           slots.grid(rule, day, tz)]
        week.append({"day": day, "slots": sorted(starts)})
    return week


# --- Closures ---------------------------------------------------------------------------

def closure_view(c, office_code=None):
    return {"id": c.id, "office": office_code, "date": c.day.isoformat(), "from": c.start_time,
            "to": c.end_time, "reason": c.reason}


def list_closures(office_code=None, first=None):
    query = (select(Closure, Office.code).outerjoin(Office, Closure.office_id == Office.id)
             .order_by(Closure.day, Closure.start_time, Closure.id))
    if office_code:
        query = query.where(or_(Office.code == office_code, Closure.office_id.is_(None)))
    if first is not None:
        query = query.where(Closure.day >= first)
    return [closure_view(c, code) for c, code in db.session.execute(query)]


def _check_closure(fields, now):
    office_code = fields.get("office")
    day, start, end, reason = rules.check_closure(
        fields.get("date"), fields.get("from"), fields.get("to"), fields.get("reason", ""))
    if day < now.astimezone(centre_tz()).date():
        raise InvalidInput("That day is past.", code="date_past", field="date")
    office = None
    if office_code is not None:
        office = db.session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            raise InvalidInput(f"Unknown office {office_code!r}.", code="unknown_office",
                               field="office")
    return office, day, start, end, reason


def _hit(office, day, start, end):
    """Appointments still holding places inside the closed time."""
    span_from, span_to = rules.closure_span(day, start, end, centre_tz())
    query = select(Appointment).where(
        Appointment.status.in_(list(HOLDING_APPOINTMENT)),
        Appointment.start < span_to, Appointment.end > span_from).order_by(Appointment.start)
    if office is not None:
        query = query.where(Appointment.office_id == office.id)
    return db.session.scalars(query).all()


def preview_closure(fields, now):
    office, day, start, end, _reason = _check_closure(fields, now)
    return [{"code": format_code(a.code), "start": a.start.astimezone(centre_tz()).isoformat(),
             "services": list(a.services), "lang": a.lang}
            for a in _hit(office, day, start, end)]


def create_closure(actor, fields, now):
    unknown = sorted(set(fields) - {"office", "date", "from", "to", "reason"})
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(unknown)}.", code="unknown_field",
                           field=unknown[0])
    with write_transaction():
        office, day, start, end, reason = _check_closure(fields, now)
        closure = Closure(office_id=office.id if office else None, day=day, start_time=start,
                          end_time=end, reason=reason)
        db.session.add(closure)
        db.session.flush()
        offices = [office.id] if office else list(db.session.scalars(select(Office.id)))
        for office_id in offices:
            bump_version(office_id)
        hit = _hit(office, day, start, end)
        views = [appointment_view(a, manage_token(a.token_seed)) for a in hit]
        result = {**closure_view(closure, office.code if office else None),
                  "affected": [v["code"] for v in views]}
        audit.note(actor, rules.AuditAction.CLOSURE_CREATED, f"closure:{closure.id}", None,
                   result, now)
    for view in views:
        notifications.closure(view, reason)
    return result


def delete_closure(actor, closure_id, now):
    with write_transaction():
        closure = db.session.get(Closure, closure_id)
        if closure is None:
            raise NotFound(f"No closure {closure_id}.", code="closure_not_found")
        office = db.session.get(Office, closure.office_id) if closure.office_id else None
        before = closure_view(closure, office.code if office else None)
        offices = [office.id] if office else list(db.session.scalars(select(Office.id)))
        db.session.delete(closure)
        for office_id in offices:
            bump_version(office_id)
        audit.note(actor, rules.AuditAction.CLOSURE_DELETED, f"closure:{closure_id}", before,
                   None, now)
