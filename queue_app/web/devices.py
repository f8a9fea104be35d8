"""Setting a kiosk or board up once: its token goes into a long-lived cookie on the device."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..clock import now
from ..domain.lifecycle import DeviceKind
from ..services.auth import authenticate
from ..services.devices import device_zone
from . import bp
from .session_auth import remember_device


def _start_page(device):
    if device.kind == DeviceKind.KIOSK:
        return url_for("kiosk.start")
    zone = device_zone(device.id)
    return url_for("display.board", zone=zone) if zone else url_for("display.choose_zone")


@bp.route("/device/setup", methods=["GET", "POST"])
def device_setup():
    """The token is typed or pasted into a form, not put in a URL that logs would keep."""
    error = None
    if request.method == "POST":
        token = request.form.get("token", "").strip()
        principal = authenticate(token, now()) if token else None
        if principal is None or principal.device is None:
            error = _("This is not the token of a registered kiosk or board.")
        else:
            return remember_device(redirect(_start_page(principal.device)), token)
    return render_template("device_setup.html", error=error), 401 if error else 200
