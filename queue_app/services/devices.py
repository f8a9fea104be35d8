"""Registered kiosks and boards as the pages see them: where they stand, whether they live."""
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..database import write_transaction
from ..extensions import db
from ..models import Device
from .i18n import localized

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


def all_devices():
    """Every device the office registered, revoked ones included, for the admin's list."""
    devices = db.session.scalars(select(Device).order_by(Device.kind, Device.name)
                                 .options(selectinload(Device.zone))).all()
    return [{"name": d.name, "kind": d.kind, "zone": d.zone.code if d.zone else None,
             "created_at": d.created_at, "last_seen_at": d.last_seen_at,
             "revoked_at": d.revoked_at} for d in devices]
