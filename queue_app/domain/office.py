"""The back office's rules, as plain values: what a valid service, opening rule or closure
is, what an audit entry records, and which fields a change touched.

Every check raises InvalidInput with a `field` detail, so a form can show the message
beside the field it is about and the API can name it.
"""
import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from .errors import InvalidInput, Problems
from .slots import OpeningRule, day_start

CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,39}$")
PREFIX = re.compile(r"^[A-Z]{1,2}$")
WALL_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
MAX_DURATION = 480
MAX_TARGET_WAIT = 600
MAX_NAME = 200


class AuditAction(StrEnum):
    SERVICE_CREATED = "service.created"
    SERVICE_CHANGED = "service.changed"
    SERVICE_DELETED = "service.deleted"
    OFFICE_CREATED = "office.created"
    OFFICE_CHANGED = "office.changed"
    OFFICE_DELETED = "office.deleted"
    ZONE_CREATED = "zone.created"
    ZONE_CHANGED = "zone.changed"
    ZONE_DELETED = "zone.deleted"
    DESK_CREATED = "desk.created"
    DESK_CHANGED = "desk.changed"
    DESK_DELETED = "desk.deleted"
    STAFF_CREATED = "staff.created"
    STAFF_CHANGED = "staff.changed"
    OPENING_RULES_REPLACED = "opening_rules.replaced"
    CLOSURE_CREATED = "closure.created"
    CLOSURE_DELETED = "closure.deleted"
    DEVICE_CREATED = "device.created"
    DEVICE_REVOKED = "device.revoked"
    DEVICE_MOVED = "device.moved"
    SETTINGS_CHANGED = "settings.changed"
    CENTRE_IMPORTED = "centre.imported"


def invalid(field, message, code="invalid_input"):
    return InvalidInput(message, code=code, field=field)


def check_code(value, field="code"):
    if not isinstance(value, str) or not CODE.match(value):
        raise invalid(field, "Use 1 to 40 lower-case letters, digits, '-' or '_'.",
                      code="invalid_code")
    return value


def check_names(names, languages, field="names"):
    """Names per language: at least the first (default) language, only known languages,
    each a non-empty text."""
    if not isinstance(names, dict):
        raise invalid(field, "Names must be given per language.")
    unknown = sorted(set(names) - set(languages))
    if unknown:
        raise invalid(field, f"Unknown language: {', '.join(unknown)}.", code="unknown_language")
    cleaned = {}
    for lang in languages:
        text = names.get(lang)
        if text is None:
            continue
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_NAME:
            raise invalid(field, f"The {lang} name must be 1 to {MAX_NAME} characters.")
        cleaned[lang] = text.strip()
    if languages[0] not in cleaned:
        raise invalid(field, f"A name in {languages[0]} is needed.", code="name_missing")
    return cleaned


def check_documents(documents, languages, field="documents"):
    if not isinstance(documents, dict) or set(documents) - set(languages):
        raise invalid(field, "What to bring must be given per known language.")
    cleaned = {}
    for lang, items in documents.items():
        if not isinstance(items, list) or not all(
                isinstance(i, str) and 0 < len(i.strip()) <= MAX_NAME for i in items):
            raise invalid(field, f"What to bring in {lang} must be a list of short texts.")
        if items:
            cleaned[lang] = [i.strip() for i in items]
    return cleaned


def missing_translations(texts, languages):
    """Languages the centre offers that `texts` (names or documents) leaves out."""
    return [lang for lang in languages if not texts.get(lang)]


def check_service_fields(fields, languages, problems=None):
    """The given fields of a service, checked; returns them cleaned. With `problems`,
    each field's problem is noted there (the caller raises them together)."""
    own = problems is None
    problems = Problems() if own else problems
    out = dict(fields)
    if "code" in out:
        problems.check(check_code, out["code"])
    if "prefix" in out:
        if not isinstance(out["prefix"], str) or not PREFIX.match(out["prefix"]):
            problems.note(invalid("prefix", "A ticket prefix is one or two capital letters "
                                  "A–Z.", code="invalid_prefix"))
    if "names" in out:
        out["names"] = problems.check(check_names, out["names"], languages)
    if "documents" in out:
        out["documents"] = problems.check(check_documents, out["documents"], languages)
    for field, high in (("duration_minutes", MAX_DURATION),
                        ("target_wait_minutes", MAX_TARGET_WAIT)):
        if field in out:
            value = out[field]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
                problems.note(InvalidInput(f"Give whole minutes from 1 to {high}.",
                                           code="invalid_minutes", field=field, low=1,
                                           high=high))
    for field in ("walk_in", "bookable", "active"):
        if field in out and not isinstance(out[field], bool):
            problems.note(invalid(field, "Yes or no."))
    if own:
        problems.raise_any()
    return out


def _wall(value, field):
    if not isinstance(value, str) or not WALL_TIME.match(value):
        raise invalid(field, "Give a time like 08:30.", code="invalid_time")
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _day(value, field):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise invalid(field, "Give a date like 2026-12-24.", code="invalid_date") from None


def check_opening_rules(rules, office_services):
    """Rules of one office as plain dicts (the API's and the file's shape), checked and
    cleaned. `office_services` are the codes of the office's bookable services: a rule
    offers those it names, or all of them."""
    cleaned, domain_rules = [], []
    for n, rule in enumerate(rules):
        where = f"rules.{n}"
        weekdays = rule.get("weekdays")
        if (not isinstance(weekdays, list) or not weekdays
                or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6
                           for d in weekdays)):
            raise invalid(f"{where}.weekdays", "Weekdays are numbers 0 (Monday) to 6 (Sunday).")
        start = _wall(rule.get("start"), f"{where}.start")
        end = _wall(rule.get("end"), f"{where}.end")
        if start >= end:
            raise invalid(f"{where}.end", "The end must be after the start.", code="invalid_rule")
        parallel = rule.get("parallel_desks")
        if isinstance(parallel, bool) or not isinstance(parallel, int) or not 1 <= parallel <= 50:
            raise invalid(f"{where}.parallel_desks", "Give 1 to 50 desks.")
        slot = rule.get("slot_minutes")
        if slot not in SLOT_MINUTES or isinstance(slot, bool):
            raise invalid(f"{where}.slot_minutes",
                          f"A slot is one of {', '.join(map(str, SLOT_MINUTES))} minutes.")
        every = rule.get("every_n_weeks", 1)
        if isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 8:
            raise invalid(f"{where}.every_n_weeks", "Every 1st to 8th week.")
        valid_from = _day(rule.get("valid_from"), f"{where}.valid_from")
        valid_until = _day(rule.get("valid_until"), f"{where}.valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            raise invalid(f"{where}.valid_until", "The rule must end after it begins.")
        anchor = _day(rule.get("anchor"), f"{where}.anchor")
        services = rule.get("services")
        if services is None:
            services = list(office_services)
        elif not isinstance(services, list) or set(services) - set(office_services):
            raise invalid(f"{where}.services",
                          "A rule offers bookable services of its own office only.",
                          code="unknown_service")
        item = {"weekdays": sorted(set(weekdays)), "start": rule["start"], "end": rule["end"],
                "parallel_desks": parallel, "slot_minutes": slot, "services": list(services),
                "valid_from": valid_from, "valid_until": valid_until, "every_n_weeks": every,
                "anchor": anchor}
        cleaned.append(item)
        domain_rules.append(as_slot_rule(item))
    _no_overlap(domain_rules)
    return cleaned


def _no_overlap(slot_rules):
    """Rules of one office must not overlap in time on a day: capacity would be ambiguous."""
    for i, a in enumerate(slot_rules):
        for n, b in enumerate(slot_rules[i + 1:], start=i + 1):
            if a.weekdays & b.weekdays and a.start < b.end and b.start < a.end and _dates_meet(
                    a, b):
                raise invalid(f"rules.{n}.start", "Two opening rules of an office overlap.",
                              code="overlapping_rules")


def _dates_meet(a, b):
    a_from, a_to = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_to = b.valid_from or date.min, b.valid_until or date.max
    return a_from <= b_to and b_from <= a_to


def as_slot_rule(item):
    return OpeningRule(weekdays=frozenset(item["weekdays"]), start=_wall(item["start"], "start"),
                       end=_wall(item["end"], "end"), parallel=item["parallel_desks"],
                       slot_minutes=item["slot_minutes"], services=frozenset(item["services"]),
                       valid_from=item["valid_from"], valid_until=item["valid_until"],
                       every_n_weeks=item["every_n_weeks"], anchor=item["anchor"])


def check_closure(day, start, end, reason):
    """A whole day (no times) or hours on a day; returns (day, start, end, reason). Every
    problem of the closure is raised at once."""
    problems = Problems()
    if day is None or day == "":
        problems.note(invalid("date", "Give the closed day.", code="invalid_date"))
    else:
        day = problems.check(_day, day, "date")
    if (start is None) != (end is None):
        problems.note(invalid("to" if start else "from",
                              "Give both times, or neither for the whole day."))
    elif start is not None:
        begins, ends = problems.check(_wall, start, "from"), problems.check(_wall, end, "to")
        if begins is not None and ends is not None and begins >= ends:
            problems.note(invalid("to", "The end must be after the start."))
    if not isinstance(reason, str) or len(reason) > 200:
        problems.note(invalid("reason", "A reason of at most 200 characters."))
    problems.raise_any()
    return day, start, end, reason.strip()


def closure_span(day, start, end, tz):
    """The closed time as aware datetimes [from, to)."""
    if start is None:
        return day_start(day, tz), day_start(day + timedelta(days=1), tz)
    return (datetime.combine(day, _wall(start, "from"), tz),
            datetime.combine(day, _wall(end, "to"), tz))


def changed(before, after):
    """The fields whose values differ, for the audit log's before → after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
