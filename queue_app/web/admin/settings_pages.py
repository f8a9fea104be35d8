"""Settings the admin owns; those the environment sets are shown, not editable."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...clock import now
from ...domain.errors import DomainError
from ...services import settings
from ..session_auth import current_staff
from . import bp, field_errors, office_page

LABELS = {
    "CENTRE_NAME": _l("Centre name"),
    "RETENTION_DAYS": _l("Personal data kept for (days after the appointment)"),
    "CHECK_IN_EARLY_MINUTES": _l("Check-in opens (minutes before the appointment)"),
    "CHECK_IN_GRACE_MINUTES": _l("Check-in closes (minutes after the start)"),
    "KIOSK_IDLE_SECONDS": _l("Kiosk returns to its start screen after (seconds)"),
    "MAX_ACTIVE_BOOKINGS_PER_EMAIL": _l("Open bookings per e-mail address at most"),
    "BOOKING_REQUIRES_CONFIRMATION": _l("Bookings must be confirmed by e-mail"),
}


def _say(kinds):
    """A bad setting's wording by its kind: the service's own text is English."""
    def say(problem):
        low, high = problem.details.get("low"), problem.details.get("high")
        kind = kinds.get(problem.details.get("field"))
        if low is None or problem.code not in ("out_of_range", "invalid_setting"):
            return None
        if kind == "int":
            return _("A whole number from %(low)d to %(high)d.", low=low, high=high)
        if kind == "str":
            return _("%(low)d to %(high)d characters, on one line.", low=low, high=high)
        return None
    return say


def _form_values(items):
    values = {}
    for item in items:
        if item["from_environment"]:
            continue
        raw = request.form.get(item["key"], "")
        if item["kind"] == "bool":
            values[item["key"]] = raw == "on"
        elif item["kind"] == "int":
            values[item["key"]] = int(raw) if raw.strip().isdigit() else raw
        else:
            values[item["key"]] = raw
    return values


@bp.route("/settings", methods=["GET", "POST"])
@office_page
def settings_page():
    items = settings.overview()
    errors, status = {}, 200
    if request.method == "POST":
        values = _form_values(items)
        if not values:      # every setting is the environment's: nothing to save
            return redirect(url_for("admin.settings_page"), code=303)
        try:
            settings.save(current_staff().username, values, now())
        except DomainError as exc:
            errors = field_errors(exc, _say({i["key"]: i["kind"] for i in items}))
            status = exc.status
            items = [{**i, "value": values.get(i["key"], i["value"])} for i in items]
        else:
            flash(_("Settings saved; they apply from the next request in every process."),
                  "ok")
            return redirect(url_for("admin.settings_page"), code=303)
    return render_template("admin/settings.html", items=items, labels=LABELS, errors=errors,
                           staff=current_staff()), status
