"""The back office's staff: create, change role and competencies, reset a password,
deactivate — validated, audited. Whatever takes rights away revokes the user's tokens and
raises the auth version in the same transaction (see services.auth), so it acts at once in
every process; competencies are read at each desk sign-in, so the next one follows them."""
import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from ..database import write_transaction
from ..domain import office as rules
from ..domain.errors import Conflict, InvalidInput, NotFound, Problems
from ..domain.lifecycle import StaffRole
from ..extensions import db
from ..models import Service, Staff
from . import audit
from .auth import revoke_staff_tokens, rights_changed

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._\-]{0,79}$")
MIN_PASSWORD = 8
FIELDS = ("username", "name", "role", "password", "competencies", "active")


def staff_view(s):
    """Never a password or its hash."""
    return {"username": s.username, "name": s.display_name, "role": s.role,
            "active": s.active, "competencies": sorted(x.code for x in s.services)}


def list_staff(role=None, active=None, search=None):
    query = select(Staff).options(selectinload(Staff.services)).order_by(Staff.username)
    if role:
        query = query.where(Staff.role == role)
    if active is not None:
        query = query.where(Staff.active.is_(active))
    found = [staff_view(s) for s in db.session.scalars(query)]
    if search:
        needle = search.casefold()
        found = [s for s in found if needle in s["username"] or needle in s["name"].casefold()]
    return found


def get_staff(username):
    staff = db.session.scalar(select(Staff).where(Staff.username == username))
    if staff is None:
        raise NotFound(f"No user {username!r}.", code="staff_not_found")
    return staff


def _check(fields, problems=None):
    """The fields' problems, all at once (or noted in `problems` for the caller to raise
    with its own)."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(unknown)}.", code="unknown_field",
                           field=unknown[0])
    own = problems is None
    problems = Problems() if own else problems
    if "role" in fields and fields["role"] not in set(StaffRole):
        problems.note(InvalidInput(f"Role must be one of {', '.join(StaffRole)}.",
                                   code="invalid_role", field="role"))
    if "password" in fields and (not isinstance(fields["password"], str)
                                 or len(fields["password"]) < MIN_PASSWORD):
        problems.note(InvalidInput(f"A password needs at least {MIN_PASSWORD} characters.",
                                   code="weak_password", field="password"))
    if "name" in fields and (not isinstance(fields["name"], str) or len(fields["name"]) > 120):
        problems.note(InvalidInput("A name of at most 120 characters.", field="name"))
    if "active" in fields and not isinstance(fields["active"], bool):
        problems.note(InvalidInput("Yes or no.", field="active"))
    if "competencies" in fields and (not isinstance(fields["competencies"], list) or not all(
            isinstance(c, str) for c in fields["competencies"])):
        problems.note(InvalidInput("Competencies are a list of service codes.",
                                   field="competencies"))
    if own:
        problems.raise_any()


def _services(codes):
    codes = list(dict.fromkeys(codes))
    found = db.session.scalars(select(Service).where(Service.code.in_(codes))).all()
    missing = sorted(set(codes) - {s.code for s in found})
    if missing:
        raise InvalidInput(f"Unknown service: {', '.join(missing)}.", code="unknown_service",
                           field="competencies")
    return list(found)


def create_staff(actor, fields, now):
    problems = Problems()
    username = fields.get("username")
    if not isinstance(username, str) or not USERNAME.match(username):
        problems.note(InvalidInput("A user name of lower-case letters, digits, '.', '-' or "
                                   "'_'.", code="invalid_username", field="username"))
    _check(fields, problems)
    for field in ("role", "password"):
        if field not in fields:
            problems.note(InvalidInput(f"Missing: {field}.", code="missing_field",
                                       field=field))
    problems.raise_any()
    with write_transaction():
        if db.session.scalar(select(Staff.id).where(Staff.username == username)):
            raise Conflict(f"A user {username!r} exists already.", code="user_exists",
                           field="username")
        staff = Staff(username=username, display_name=fields.get("name") or username,
                      role=fields["role"], active=fields.get("active", True),
                      password_hash=generate_password_hash(fields["password"]),
                      services=_services(fields.get("competencies", [])))
        db.session.add(staff)
        db.session.flush()
        view = staff_view(staff)
        audit.note(actor, rules.AuditAction.STAFF_CREATED, f"staff:{username}", None, view, now)
    return view


def _last_admin(staff):
    others = db.session.scalar(select(func.count(Staff.id)).where(
        Staff.role == StaffRole.ADMIN, Staff.active.is_(True), Staff.id != staff.id))
    return staff.role == StaffRole.ADMIN and staff.active and not others


def update_staff(actor, username, fields, now):
    _check(fields)
    if fields.get("username", username) != username:
        raise InvalidInput("A user name cannot change.", code="username_fixed", field="username")
    with write_transaction():
        return _change(actor, get_staff(username), fields, now)


def set_competencies(actor, wanted, now):
    """The competency matrix saved at once: `wanted` maps user names to service codes.
    One transaction, one audit entry per person whose competencies changed."""
    for codes in wanted.values():
        _check({"competencies": codes})
    with write_transaction():
        return [_change(actor, get_staff(username), {"competencies": codes}, now)
                for username, codes in wanted.items()]


def _change(actor, staff, fields, now):
    """Inside a write transaction: one user's change, checked, applied, audited."""
    username = staff.username
    before = staff_view(staff)
    demoted = "role" in fields and fields["role"] != staff.role
    deactivated = fields.get("active") is False and staff.active
    if (demoted or deactivated) and _last_admin(staff):
        raise Conflict("This is the last active admin: make someone else admin first.",
                       code="last_admin", field="role" if demoted else "active")
    if "competencies" in fields:
        staff.services = _services(fields["competencies"])
    for field, column in (("role", "role"), ("active", "active"), ("name", "display_name")):
        if field in fields:
            setattr(staff, column, fields[field])
    if "password" in fields:
        staff.password_hash = generate_password_hash(fields["password"])
    if deactivated or "password" in fields:
        revoke_staff_tokens(staff.id, now)
    elif demoted or "active" in fields:
        rights_changed()
    db.session.flush()
    after = staff_view(staff)
    old, new = rules.changed(before, after)
    if "password" in fields:
        old["password"], new["password"] = "(old)", "(reset)"
    if new:
        audit.note(actor, rules.AuditAction.STAFF_CHANGED, f"staff:{username}", old, new,
                   now)
    return after
