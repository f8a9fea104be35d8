"""The admin API's devices and settings: the same services as the office's pages
(services.devices, services.settings). Changes need role admin, reading is open to
supervisors; every change is audited there."""
from typing import Annotated, Optional

from flask import jsonify
from pydantic import StringConstraints

from ..clock import now
from ..services import devices, settings
from . import bp
from .admin_routes import ADMIN, READERS, actor
from .auth import require
from .schemas import Code, Strict, parse

# The name's rules (no '/', printable) are the service's, shared with the page.
DeviceName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class DeviceCreate(Strict):
    name: DeviceName
    kind: Annotated[str, StringConstraints(max_length=20)]
    zone: Optional[Code] = None


class DevicePatch(Strict):
    zone: Optional[Code]


class SettingsPatch(Strict):
    """Any of the settings by key, each with its JSON type (text, number, true/false);
    which keys exist and what each allows is checked by services.settings."""
    model_config = {**Strict.model_config, "extra": "allow"}


@bp.get("/admin/devices")
@require(roles=READERS)
def admin_devices():
    return jsonify(devices.all_devices())


@bp.post("/admin/devices")
@require(roles=ADMIN)
def admin_create_device():
    body = parse(DeviceCreate)
    token = devices.create_device(body.name, body.kind, body.zone, now(), actor=actor())
    return jsonify({**devices.get_device(body.name.strip()), "token": token}), 201


@bp.get("/admin/devices/<name>")
@require(roles=READERS)
def admin_device(name):
    return jsonify(devices.get_device(name))


@bp.patch("/admin/devices/<name>")
@require(roles=ADMIN)
def admin_move_device(name):
    body = parse(DevicePatch)
    return jsonify(devices.move_device(actor(), name, body.zone, now()))


@bp.post("/admin/devices/<name>/revoke")
@require(roles=ADMIN)
def admin_revoke_device(name):
    return jsonify(devices.revoke_device(name, now(), actor=actor()))


@bp.get("/admin/settings")
@require(roles=READERS)
def admin_settings():
    return jsonify(settings.overview())


@bp.patch("/admin/settings")
@require(roles=ADMIN)
def admin_change_settings():
    body = parse(SettingsPatch)
    settings.save(actor(), body.model_extra, now())
    return jsonify(settings.overview())
