"""Devices: list with last heartbeat, register one (its token shown this once), move one to
another zone, revoke."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...clock import now
from ...domain.errors import DomainError
from ...domain.lifecycle import DeviceKind
from ...services import catalog, devices as device_service
from ..messages import explain
from ..session_auth import current_staff
from . import bp, field_errors, office_page


def _render(errors=None, token=None, fields=None, status=200):
    return render_template("admin/devices.html", devices=device_service.all_devices(),
                           kinds=list(DeviceKind), zones=catalog.list_zones(),
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


@bp.post("/devices/<name>/revoke")
@office_page
def device_revoke(name):
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
