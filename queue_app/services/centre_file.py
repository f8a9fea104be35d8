"""The centre as a file: offices, zones, desks, services with their translations, opening
rules, closures, staff (without passwords) and devices (without tokens), as plain data that
`export-centre` writes as YAML and `import-centre` reads back.

Import matches everything by its code (user name, device name) and creates or changes what
differs; it deletes nothing but an office's opening rules, which the file replaces as a
whole where it lists any. It runs the whole change in one transaction and, for a dry run,
rolls it back: the plan printed is exactly what `--apply` does. Importing the same file
twice changes nothing the second time.
"""
import re

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from ..database import write_transaction
from ..domain import office as rules
from ..domain.errors import InvalidInput
from ..domain.lifecycle import DeviceKind, StaffRole
from ..extensions import db
from ..models import (ApiToken, Closure, Desk, Device, OpeningRule, Office, Service, Staff,
                      Zone)
from . import audit
from .auth import rights_changed, token_digest
from .availability import bump_version
from .office_calendar import rule_view
from .office_catalog import languages

SECTIONS = ("offices", "zones", "desks", "services", "opening_rules", "closures", "staff",
            "devices")
# Desks name the services they offer, so they are read after the services.
IMPORT_ORDER = ("offices", "zones", "services", "desks", "opening_rules", "closures", "staff",
                "devices")
# No password matches this: a user imported without one gets it from an admin.
NO_PASSWORD = "!"
SERVICE_FIELDS = ("office", "prefix", "names", "documents", "duration_minutes", "walk_in",
                  "bookable", "target_wait_minutes", "active")


# --- The file ---------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _list(dumper, items):
    # Weekdays on one line ([0, 1, 2, 4]); texts one per line.
    flow = bool(items) and all(isinstance(i, int) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _list)


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads an unquoted 13:00 as the number 780 (base 60): here only plain digits
    are numbers, so a time written by hand stays a time."""


_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _INT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


def dump(data):
    """YAML as a person edits it: keys in their order, names as they are written."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load(text):
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"Not a readable YAML file: {exc}", code="invalid_file") from None


# --- Export -----------------------------------------------------------------------------

def export():
    offices = db.session.scalars(select(Office).order_by(Office.id)).all()
    office_code = {o.id: o.code for o in offices}
    services = db.session.scalars(select(Service).order_by(Service.sort_order, Service.id)).all()
    bookable = {o.id: [s.code for s in services if s.office_id == o.id and s.bookable]
                for o in offices}
    data = {
        "offices": [{"code": o.code, "names": o.names} for o in offices],
        "zones": [{"code": z.code, "names": z.names}
                  for z in db.session.scalars(select(Zone).order_by(Zone.id))],
        "desks": [_desk(d) for d in db.session.scalars(
            select(Desk).order_by(Desk.id).options(selectinload(Desk.zone),
                                                   selectinload(Desk.services)))],
        "services": [_service(s, office_code) for s in services],
        "opening_rules": [],
        "closures": [],
        "staff": [{"username": s.username, "name": s.display_name, "role": s.role,
                   "active": s.active, "competencies": sorted(x.code for x in s.services)}
                  for s in db.session.scalars(select(Staff).order_by(Staff.id)
                                              .options(selectinload(Staff.services)))],
        "devices": [_device(d) for d in db.session.scalars(
            select(Device).order_by(Device.id).options(selectinload(Device.zone)))],
    }
    by_office = select(OpeningRule).order_by(OpeningRule.office_id, OpeningRule.id)
    for rule in db.session.scalars(by_office):
        data["opening_rules"].append(_rule(rule, office_code[rule.office_id], bookable))
    for c in db.session.scalars(select(Closure).order_by(Closure.day, Closure.id)):
        data["closures"].append(_closure(c, office_code))
    return data


def _desk(d):
    item = {"code": d.code, "name": d.name, "zone": d.zone.code}
    # A desk naming no services offers every one (domain.places): the file says so by
    # leaving the list out.
    if d.services:
        item["services"] = [s.code for s in d.services]
    if not d.active:
        item["active"] = False
    return item


def _service(s, office_code):
    item = {"code": s.code, "office": office_code[s.office_id], "prefix": s.prefix,
            "names": s.names, "documents": s.documents or {},
            "duration_minutes": s.duration_minutes, "walk_in": s.walk_in,
            "bookable": s.bookable, "target_wait_minutes": s.target_wait_minutes}
    if not s.active:
        item["active"] = False
    return item


def _rule(rule, office, bookable):
    view = rule_view(rule)
    item = {"office": office}
    item.update({k: v for k, v in view.items()
                 if v is not None and not (k == "every_n_weeks" and v == 1)})
    # A rule offering every bookable service of its office says so by naming none.
    if sorted(view["services"]) == sorted(bookable[rule.office_id]):
        item.pop("services")
    return item


def _closure(c, office_code):
    item = {"office": office_code.get(c.office_id), "date": c.day.isoformat()}
    if c.start_time:
        item.update({"from": c.start_time, "to": c.end_time})
    item["reason"] = c.reason
    return item


def _device(d):
    item = {"name": d.name, "kind": d.kind, "zone": d.zone.code if d.zone else None}
    if d.revoked_at is not None:
        item["revoked"] = True
    return item


# --- Import -----------------------------------------------------------------------------

class _DryRun(Exception):
    pass


def import_centre(data, actor, now, apply=False, demo=None):
    """Bring the database in line with `data`; returns the list of changes (made, or with
    apply=False only planned). `demo` (password, device tokens) is the demo seed's: real
    centres set passwords and issue tokens through the office."""
    if not isinstance(data, dict) or set(data) - set(SECTIONS) - {"centre", "demo"}:
        raise InvalidInput(f"A centre file has the sections {', '.join(SECTIONS)}.",
                           code="invalid_file")
    plan = _Plan(actor, now, demo or {})
    try:
        with write_transaction():
            for section in IMPORT_ORDER:
                items = data.get(section) or []
                if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                    raise InvalidInput(f"`{section}` must be a list of entries.",
                                       code="invalid_file")
                getattr(plan, section)(items)
            if plan.changes:
                plan.finish()
            if not apply:
                raise _DryRun
    except _DryRun:
        pass
    return plan.changes


def _require(item, *fields, where):
    missing = [f for f in fields if item.get(f) in (None, "")]
    if missing:
        raise InvalidInput(f"{where}: missing {', '.join(missing)}.", code="invalid_file")


def _names(item, where):
    try:
        return rules.check_names(item.get("names") or {}, languages())
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}", code="invalid_file") from None


class _Plan:
    def __init__(self, actor, now, demo):
        self.actor, self.now, self.demo = actor, now, demo
        self.changes = []
        self.offices_touched = set()
        self.rights = False
        self._password_hash = None

    def note(self, text):
        self.changes.append(text)

    def _by_code(self, model, column="code"):
        return {getattr(r, column): r for r in db.session.scalars(select(model))}

    def _update(self, row, label, values):
        diffs = [k for k, v in values.items() if getattr(row, k) != v]
        for k in diffs:
            setattr(row, k, values[k])
        if diffs:
            self.note(f"change {label}: {', '.join(diffs)}")
        return bool(diffs)

    def offices(self, items):
        existing = self._by_code(Office)
        for item in items:
            _require(item, "code", where="office")
            rules.check_code(item["code"])
            names = _names(item, f"office {item['code']}")
            row = existing.get(item["code"])
            if row is None:
                db.session.add(Office(code=item["code"], names=names))
                self.note(f"create office {item['code']}")
            else:
                self._update(row, f"office {item['code']}", {"names": names})
        db.session.flush()
        self.office = self._by_code(Office)

    def zones(self, items):
        existing = self._by_code(Zone)
        for item in items:
            _require(item, "code", where="zone")
            rules.check_code(item["code"])
            names = _names(item, f"zone {item['code']}")
            row = existing.get(item["code"])
            if row is None:
                db.session.add(Zone(code=item["code"], names=names))
                self.note(f"create zone {item['code']}")
            else:
                self._update(row, f"zone {item['code']}", {"names": names})
        db.session.flush()
        self.zone = self._by_code(Zone)

    def _zone(self, code, where):
        if code is None:
            return None
        if code not in self.zone:
            raise InvalidInput(f"{where}: unknown zone {code!r}.", code="invalid_file")
        return self.zone[code]

    def desks(self, items):
        existing = {d.code: d for d in db.session.scalars(
            select(Desk).options(selectinload(Desk.services)))}
        for item in items:
            _require(item, "code", "name", "zone", where="desk")
            rules.check_code(item["code"])
            where = f"desk {item['code']}"
            codes = item.get("services") or []
            if not isinstance(codes, list):
                raise InvalidInput(f"{where}: services must be a list of codes.",
                                   code="invalid_file")
            unknown = sorted(set(codes) - set(self.service))
            if unknown:
                raise InvalidInput(f"{where}: unknown service {', '.join(map(str, unknown))}.",
                                   code="invalid_file")
            services = sorted((self.service[c] for c in set(codes)),
                              key=lambda s: (s.sort_order, s.id))
            values = {"name": str(item["name"]), "zone_id": self._zone(item["zone"], where).id,
                      "active": bool(item.get("active", True))}
            row = existing.get(item["code"])
            if row is None:
                db.session.add(Desk(code=item["code"], services=services, **values))
                self.note(f"create desk {item['code']}")
                continue
            self._update(row, where, values)
            if [s.id for s in row.services] != [s.id for s in services]:
                row.services = services
                self.note(f"change {where}: services")
        db.session.flush()

    def services(self, items):
        existing = self._by_code(Service)
        for order, item in enumerate(items, start=1):
            _require(item, "code", "office", "prefix", "names", "duration_minutes",
                     where="service")
            where = f"service {item['code']}"
            fields = {k: item[k] for k in SERVICE_FIELDS if k in item}
            fields.setdefault("documents", {})
            fields.setdefault("walk_in", True)
            fields.setdefault("bookable", True)
            fields.setdefault("target_wait_minutes", 30)
            fields.setdefault("active", True)
            try:
                fields = rules.check_service_fields({**fields, "code": item["code"]},
                                                    languages())
            except InvalidInput as exc:
                raise InvalidInput(f"{where}: {exc.message}", code="invalid_file") from None
            office = self.office.get(fields.pop("office"))
            if office is None:
                raise InvalidInput(f"{where}: unknown office {item['office']!r}.",
                                   code="invalid_file")
            fields.pop("code")
            values = {**fields, "office_id": office.id, "sort_order": order}
            row = existing.get(item["code"])
            if row is None:
                db.session.add(Service(code=item["code"], **values))
                self.note(f"create service {item['code']}")
                self.offices_touched.add(office.id)
            else:
                old_office = row.office_id
                if self._update(row, where, values):
                    self.offices_touched.update({old_office, office.id})
        db.session.flush()
        self.service = self._by_code(Service)

    def opening_rules(self, items):
        by_office = {}
        for item in items:
            _require(item, "office", where="opening rule")
            if item["office"] not in self.office:
                raise InvalidInput(f"opening rule: unknown office {item['office']!r}.",
                                   code="invalid_file")
            rule = {k: v for k, v in item.items() if k != "office"}
            by_office.setdefault(item["office"], []).append(rule)
        for code, wanted in by_office.items():
            office = self.office[code]
            bookable = [s.code for s in sorted(self.service.values(),
                                               key=lambda s: (s.sort_order, s.id))
                        if s.office_id == office.id and s.bookable]
            try:
                cleaned = rules.check_opening_rules(wanted, bookable)
            except InvalidInput as exc:
                raise InvalidInput(f"opening rules of {code}: {exc.message}",
                                   code="invalid_file") from None
            current = db.session.scalars(select(OpeningRule).where(
                OpeningRule.office_id == office.id).order_by(OpeningRule.id)).all()
            as_data = [{**rule_view(r), "valid_from": r.valid_from,
                        "valid_until": r.valid_until, "anchor": r.anchor} for r in current]
            if as_data == cleaned:
                continue
            for row in current:
                db.session.delete(row)
            for r in cleaned:
                db.session.add(OpeningRule(
                    office_id=office.id, weekdays=r["weekdays"], start_time=r["start"],
                    end_time=r["end"], parallel=r["parallel_desks"],
                    slot_minutes=r["slot_minutes"], services=r["services"],
                    valid_from=r["valid_from"], valid_until=r["valid_until"],
                    every_n_weeks=r["every_n_weeks"], anchor=r["anchor"]))
            self.offices_touched.add(office.id)
            self.note(f"replace opening rules of {code} ({len(current)} → {len(cleaned)})")
        db.session.flush()

    def closures(self, items):
        existing = {(c.office_id, c.day, c.start_time, c.end_time)
                    for c in db.session.scalars(select(Closure))}
        for item in items:
            try:
                day, start, end, reason = rules.check_closure(
                    item.get("date"), item.get("from"), item.get("to"), item.get("reason", ""))
            except InvalidInput as exc:
                raise InvalidInput(f"closure: {exc.message}", code="invalid_file") from None
            office = None
            if item.get("office") is not None:
                office = self.office.get(item["office"])
                if office is None:
                    raise InvalidInput(f"closure: unknown office {item['office']!r}.",
                                       code="invalid_file")
            key = (office.id if office else None, day, start, end)
            if key in existing:
                continue
            existing.add(key)
            db.session.add(Closure(office_id=key[0], day=day, start_time=start, end_time=end,
                                   reason=reason))
            self.offices_touched.update([office.id] if office else
                                        [o.id for o in self.office.values()])
            self.note(f"add closure {item.get('office') or 'whole centre'} {day.isoformat()}"
                      + (f" {start}–{end}" if start else ""))
        db.session.flush()

    def staff(self, items):
        existing = {s.username: s for s in db.session.scalars(
            select(Staff).options(selectinload(Staff.services)))}
        for item in items:
            _require(item, "username", "role", where="staff")
            where = f"user {item['username']}"
            if item["role"] not in set(StaffRole):
                raise InvalidInput(f"{where}: role must be one of {', '.join(StaffRole)}.",
                                   code="invalid_file")
            codes = item.get("competencies") or []
            unknown = sorted(set(codes) - set(self.service))
            if unknown:
                raise InvalidInput(f"{where}: unknown service {', '.join(unknown)}.",
                                   code="invalid_file")
            services = sorted((self.service[c] for c in set(codes)), key=lambda s: s.id)
            values = {"display_name": item.get("name") or item["username"],
                      "role": item["role"], "active": bool(item.get("active", True))}
            row = existing.get(item["username"])
            if row is None:
                db.session.add(Staff(username=item["username"], services=services,
                                     password_hash=self._new_password(), **values))
                self.note(f"create user {item['username']}")
                continue
            changed = self._update(row, where, values)
            if sorted(s.id for s in row.services) != [s.id for s in services]:
                row.services = services
                self.note(f"change {where}: competencies")
            if changed:
                self.rights = True
        db.session.flush()

    def _new_password(self):
        if not self.demo.get("password"):
            return NO_PASSWORD
        if self._password_hash is None:
            # One hash for all demo users: the same password, and scrypt is slow on purpose.
            self._password_hash = generate_password_hash(self.demo["password"])
        return self._password_hash

    def devices(self, items):
        existing = self._by_code(Device, "name")
        tokens = self.demo.get("device_tokens") or {}
        for item in items:
            _require(item, "name", "kind", where="device")
            where = f"device {item['name']}"
            if item["kind"] not in set(DeviceKind):
                raise InvalidInput(f"{where}: kind must be one of {', '.join(DeviceKind)}.",
                                   code="invalid_file")
            zone = self._zone(item.get("zone"), where)
            values = {"kind": item["kind"], "zone_id": zone.id if zone else None}
            row = existing.get(item["name"])
            if row is None:
                row = Device(name=item["name"], created_at=self.now,
                             revoked_at=self.now if item.get("revoked") else None, **values)
                db.session.add(row)
                if tokens.get(item["name"]):
                    db.session.add(ApiToken(token_hash=token_digest(tokens[item["name"]]),
                                            device=row, created_at=self.now))
                self.note(f"create device {item['name']}")
                continue
            if self._update(row, where, values):
                self.rights = True
            if item.get("revoked") and row.revoked_at is None:
                row.revoked_at = self.now
                self.rights = True
                self.note(f"revoke {where}")
        db.session.flush()

    def finish(self):
        for office_id in self.offices_touched:
            bump_version(office_id)
        if self.rights:
            rights_changed()
        audit.note(self.actor, rules.AuditAction.CENTRE_IMPORTED, "centre", None,
                   {"changes": self.changes}, self.now)
