"""Devices: list with last heartbeat, register one (its token shown this once), move one to
another zone, revoke (after a confirm step: a revoked token cannot be given back)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...clock import now
from ...domain.errors import DomainError
from ...domain.lifecycle import DeviceKind
from ...services import catalog, devices as device_service
from ..messages import explain
from ..session_auth import current_staff
from . import bp, field_errors, office_page


KIND_LABELS = {DeviceKind.KIOSK: _l("Kiosk"), DeviceKind.DISPLAY: _l("Display board")}


def _zones():
    """The zones with their names in the page's language."""
    return catalog.list_zones(str(get_locale()))


def _render(errors=None, token=None, fields=None, status=200):
    zones = _zones()
    return render_template("admin/devices.html", devices=device_service.all_devices(),
                           kinds=list(DeviceKind), kind_labels=KIND_LABELS, zones=zones,
                           zone_names={z["code"]: z["name"] for z in zones},
                           errors=errors or {}, token=token, fields=fields or {},
                           staff=current_staff()), status


@bp.route("/devices", methods=["GET", "POST"])
@office_page
def devices():
    if request.method == "GET":
        return _render()
    fields = {"name": request.form.get("name", "").strip(),
              "kind": request.form.get("kind", ""), "zone": request.form.get("zone") or None}
    try:
        token = device_service.create_device(fields["name"], fields["kind"], fields["zone"],
                                             now(), actor=current_staff().username)
    except DomainError as exc:
        return _render(field_errors(exc), fields=fields, status=exc.status)
    return _render(token=token, fields={"name": fields["name"]})


@bp.route("/devices/<name>/revoke", methods=["GET", "POST"])
@office_page
def device_revoke(name):
    """GET (or a POST without `confirm`) asks first; only the confirmed POST revokes."""
    if request.method == "GET" or not request.form.get("confirm"):
        device = device_service.get_device(name)
        return render_template("admin/device_revoke.html", device=device,
                               kind_labels=KIND_LABELS,
                               zone_names={z["code"]: z["name"] for z in _zones()},
                               staff=current_staff())
    device_service.revoke_device(name, now(), actor=current_staff().username)
    flash(_("Device %(name)s revoked: its token stops working at once.", name=name), "ok")
    return redirect(url_for("admin.devices"), code=303)


@bp.post("/devices/<name>/zone")
@office_page
def device_move(name):
    try:
        device_service.move_device(current_staff().username, name,
                                   request.form.get("zone") or None, now())
    except DomainError as exc:      # the row's form, not the register form's fields
        return _render({"__form__": explain(exc)}, status=exc.status)
    flash(_("Device %(name)s moved.", name=name), "ok")
    return redirect(url_for("admin.devices"), code=303)
