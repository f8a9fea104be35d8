"""Staff and device credentials: passwords, bearer tokens (stored hashed), revocation."""
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..async_mode import off_the_hub
from ..database import write_transaction
from ..domain.errors import Conflict, InvalidInput, NotFound, Unauthorized
from ..domain.lifecycle import StaffRole
from ..extensions import db
from ..models import ApiToken, Service, Staff
from . import state_versions

ROLES = tuple(r.value for r in StaffRole)
# Computed once so a login for an unknown user costs as much as one for a known user.
_DUMMY_HASH = generate_password_hash("not-a-password")


@dataclass(frozen=True)
class Actor:
    """Who acts, as plain values: safe to keep between requests and across sessions."""
    id: int
    role: str
    username: str = ""


@dataclass(frozen=True)
class DeviceRef:
    id: int
    kind: str


@dataclass(frozen=True)
class Principal:
    staff: Optional[Actor] = None
    device: Optional[DeviceRef] = None
    expires_at: Optional[datetime] = None


class _TokenCache:
    """Recently seen tokens per process, so most requests skip the token query.

    Whatever takes rights away (a revoked token or device, a deactivated user, a new role
    or password) raises the centre's "auth" version in its own transaction. Each request
    reads that one counter row (a primary-key read, cheaper than the token query with its
    joins) and a process whose cache was filled under an older version drops it: the
    change acts at once in every process, not after AUTH_CACHE_SECONDS.
    """

    def __init__(self):
        self._entries = {}
        self._version = None

    def get(self, digest, now, version):
        if version != self._version:
            self._entries.clear()
            self._version = version
            return None
        hit = self._entries.get(digest)
        if hit is None or hit[0] <= time.monotonic():
            return None
        principal = hit[1]
        if principal.expires_at is not None and principal.expires_at <= now:
            return None
        return principal

    def put(self, digest, principal, seconds, version):
        if seconds > 0 and version == self._version:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + seconds, principal)

    def clear(self):
        self._entries.clear()


_tokens = _TokenCache()


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


# A page session is a row of the token table whose secret is hashed with this prefix: the
# session cookie then holds an id the server can revoke, but one the API does not accept.
_PAGE_SESSION = "page-session:"


def _digest(token, for_pages):
    return token_digest(_PAGE_SESSION + token if for_pages else token)


def _new_token(now, staff=None, device=None, expires_at=None, for_pages=False):
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(token_hash=_digest(token, for_pages), staff=staff, device=device,
                            created_at=now, expires_at=expires_at))
    return token


def issue_device_token(device, now, token=None):
    """Inside a write transaction: the device's bearer token (stored hashed), returned this
    once. `token` lets the demo seed use a fixed, printed token."""
    if token:
        db.session.add(ApiToken(token_hash=token_digest(token), device=device, created_at=now))
        return token
    return _new_token(now, device=device)


def forget_cached_tokens():
    """After the commit that took rights away: this process need not wait for its next
    version check."""
    _tokens.clear()


def issue_staff_token(username, password, now, for_pages=False):
    """A bearer token for the API, or (`for_pages`) the id of a page session."""
    staff = db.session.scalar(select(Staff).where(Staff.username == username))
    valid = off_the_hub(check_password_hash, staff.password_hash if staff else _DUMMY_HASH,
                        password)
    if not staff or not valid or not staff.active:
        raise Unauthorized("Unknown user name or wrong password.", code="invalid_credentials")
    hours = current_app.config["STAFF_TOKEN_HOURS"]
    with write_transaction():
        staff = db.session.get(Staff, staff.id)
        token = _new_token(now, staff=staff, expires_at=now + timedelta(hours=hours),
                           for_pages=for_pages)
    return token


def authenticate(token, now, for_pages=False):
    """The staff member or device a bearer token (or page session id) belongs to, or None."""
    if not token:
        return None
    digest = _digest(token, for_pages)
    seconds = current_app.config["AUTH_CACHE_SECONDS"]
    version = auth_version() if seconds > 0 else None
    cached = _tokens.get(digest, now, version)
    if cached is not None:
        return cached
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest)
        .options(joinedload(ApiToken.staff), joinedload(ApiToken.device)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.staff is not None and row.staff.active:
        principal = Principal(staff=Actor(row.staff.id, row.staff.role, row.staff.username),
                              expires_at=row.expires_at)
    elif row.device is not None and row.device.revoked_at is None:
        principal = Principal(device=DeviceRef(row.device.id, row.device.kind),
                              expires_at=row.expires_at)
    else:
        return None
    _tokens.put(digest, principal, seconds, version)
    return principal


def auth_version():
    return state_versions.current(state_versions.AUTH)


def rights_changed():
    """Call inside the transaction that takes rights away: every process's token cache
    drops what it holds on its next request."""
    state_versions.raise_version(state_versions.AUTH)


def revoke_staff_tokens(staff_id, now):
    """Inside a write transaction: every token of this user stops working."""
    db.session.execute(update(ApiToken).where(ApiToken.staff_id == staff_id,
                                              ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    rights_changed()


def revoke_token(token, now, for_pages=False):
    with write_transaction():
        row = db.session.scalar(select(ApiToken).where(
            ApiToken.token_hash == _digest(token, for_pages)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
            rights_changed()
    forget_cached_tokens()


def create_user(username, role, password, service_codes=(), display_name=""):
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.", code="invalid_role")
    if not username or len(password) < 8:
        raise InvalidInput("A user name and a password of at least 8 characters are needed.",
                           code="weak_password")
    with write_transaction():
        if db.session.scalar(select(Staff.id).where(Staff.username == username)):
            raise Conflict(f"User {username!r} exists already.", code="user_exists")
        services = _services_by_code(service_codes)
        staff = Staff(username=username, role=role, display_name=display_name or username,
                      password_hash=generate_password_hash(password), services=services)
        db.session.add(staff)
    return staff


def _services_by_code(codes):
    codes = list(dict.fromkeys(codes))
    found = db.session.scalars(select(Service).where(Service.code.in_(codes))).all()
    missing = set(codes) - {s.code for s in found}
    if missing:
        raise NotFound(f"Unknown service codes: {', '.join(sorted(missing))}.",
                       code="unknown_service")
    return list(found)
