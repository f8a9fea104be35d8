"""Registered kiosks and boards: registering one (its token shown once), moving it to
another zone, revoking it; where they stand and whether they live. The admin pages, the
admin API and the CLI call these same functions."""
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.lifecycle import DeviceKind
from ..domain.office import AuditAction
from ..extensions import db
from ..models import Device, Zone
from . import audit, auth
from .i18n import localized

DEVICE_KINDS = tuple(k.value for k in DeviceKind)
MAX_NAME = 80

# A board beats every 30 s; writing each beat would only churn the database.
HEARTBEAT_WRITE_SECONDS = 20


def device_zone(device_id):
    device = db.session.get(Device, device_id)
    return device.zone.code if device is not None and device.zone is not None else None


def record_heartbeat(device_id, now):
    """Note that a device is alive; skipped when it was noted a moment ago."""
    fresh = now - timedelta(seconds=HEARTBEAT_WRITE_SECONDS)
    with write_transaction():
        db.session.execute(
            update(Device).where(Device.id == device_id, Device.revoked_at.is_(None),
                                 (Device.last_seen_at.is_(None)) | (Device.last_seen_at < fresh))
            .values(last_seen_at=now))


def device_overview(now, silent_after_seconds, lang="de"):
    """Every registered device with its zone and whether it was heard from lately."""
    devices = db.session.scalars(
        select(Device).where(Device.revoked_at.is_(None)).order_by(Device.kind, Device.name)
        .options(selectinload(Device.zone))).all()
    limit = now - timedelta(seconds=silent_after_seconds)
    return [{
        "name": d.name,
        "kind": d.kind,
        "zone": d.zone.code if d.zone else None,
        "zone_name": localized(d.zone.names, lang) if d.zone else None,
        "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
        "online": d.last_seen_at is not None and d.last_seen_at >= limit,
    } for d in devices]


def _iso(value):
    return value.isoformat() if value is not None else None


def device_view(d):
    """A device as the office sees it: never its token nor the token's hash."""
    return {"name": d.name, "kind": d.kind, "zone": d.zone.code if d.zone else None,
            "active": d.revoked_at is None, "created_at": _iso(d.created_at),
            "last_seen_at": _iso(d.last_seen_at), "revoked_at": _iso(d.revoked_at)}


def all_devices():
    """Every device the office registered, revoked ones included, for the admin's list."""
    devices = db.session.scalars(select(Device).order_by(Device.kind, Device.name)
                                 .options(selectinload(Device.zone))).all()
    return [device_view(d) for d in devices]


def check_name(name):
    """A device's name: it appears in addresses (/admin/devices/NAME), so no '/' and no
    control characters."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("Give the device a name.", code="device_name_missing", field="name")
    name = name.strip()
    if len(name) > MAX_NAME or "/" in name or not name.isprintable():
        raise InvalidInput(f"A device name has 1 to {MAX_NAME} characters, without '/'.",
                           code="invalid_device_name", field="name")
    return name


def _zone(code):
    if code is None:
        return None
    zone = db.session.scalar(select(Zone).where(Zone.code == code)) if isinstance(
        code, str) else None
    if zone is None:
        raise InvalidInput(f"Unknown zone {code!r}.", code="unknown_zone", field="zone")
    return zone


def _device(name):
    device = db.session.scalar(select(Device).where(Device.name == name)
                               .options(selectinload(Device.zone)))
    if device is None:
        raise NotFound(f"Unknown device {name!r}.", code="unknown_device")
    return device


def create_device(name, kind, zone_code, now, token=None, actor="cli"):
    """Register a kiosk or board; returns its token, which is shown only this once.

    `token` lets the demo seed use a fixed, printed token; real devices get a random one.
    """
    name = check_name(name)
    if kind not in DEVICE_KINDS:
        raise InvalidInput(f"Kind must be one of {', '.join(DEVICE_KINDS)}.",
                           code="invalid_kind", field="kind")
    exists = Conflict(f"Device {name!r} exists already.", code="device_exists", field="name")
    try:
        with write_transaction():
            if db.session.scalar(select(Device.id).where(Device.name == name)):
                raise exists
            device = Device(name=name, kind=kind, zone=_zone(zone_code or None),
                            created_at=now)
            db.session.add(device)
            token = auth.issue_device_token(device, now, token)
            audit.note(actor, AuditAction.DEVICE_CREATED, f"device:{name}", None,
                       {"kind": kind, "zone": zone_code or None}, now)
    except IntegrityError:      # registered by another process a moment ago (PostgreSQL)
        db.session.rollback()
        raise exists from None
    return token


def get_device(name):
    return device_view(_device(name))


def move_device(actor, name, zone_code, now):
    """Stand a device in another zone (None: in none): a board that opens /display/ is
    sent to that zone from then on."""
    with write_transaction():
        device = _device(name)
        before = device.zone.code if device.zone else None
        zone = _zone(zone_code)
        if before != zone_code:
            device.zone = zone
            audit.note(actor, AuditAction.DEVICE_MOVED, f"device:{name}", {"zone": before},
                       {"zone": zone_code}, now)
        view = device_view(device)
    return view


def revoke_device(name, now, actor="cli"):
    """The device's token stops working at once, in every process (the auth version is
    raised). Revoking a revoked device changes nothing."""
    with write_transaction():
        device = _device(name)
        if device.revoked_at is None:
            device.revoked_at = now
            auth.rights_changed()
            audit.note(actor, AuditAction.DEVICE_REVOKED, f"device:{name}", {"revoked": False},
                       {"revoked": True}, now)
        view = device_view(device)
    auth.forget_cached_tokens()
    return view
