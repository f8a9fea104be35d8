"""The office's pages (/admin/…): the admin changes, a supervisor looks. Each handler parses
the form, calls one office service (the same as the admin API's) and renders; a rule's
error is shown beside the field it names."""
from datetime import datetime
from functools import wraps

from flask import Blueprint, abort, request
from flask_babel import lazy_gettext as _l

from ...clock import centre_tz
from ...domain.lifecycle import INSIGHT_ROLES, StaffRole
from ..session_auth import current_staff, staff_required

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

# Rule errors an admin meets, in the page's language; anything else shows its own text.
MESSAGES = {
    "service_exists": _l("A service with this code exists already."),
    "unknown_office": _l("Choose an office from the list."),
    "invalid_code": _l("Use 1 to 40 lower-case letters, digits, '-' or '_'."),
    "invalid_prefix": _l("A ticket prefix is one or two capital letters A–Z."),
    "name_missing": _l("A German name is needed."),
    "user_exists": _l("A user with this name exists already."),
    "invalid_username": _l("A user name of lower-case letters, digits, '.', '-' or '_'."),
    "weak_password": _l("A password needs at least 8 characters."),
    "last_admin": _l("This is the last active admin: make someone else admin first."),
    "service_in_use": _l("Visitors still wait for this service."),
    "service_booked": _l("Appointments are booked for this service."),
    "service_has_history": _l("Visitors were served for this service; its statistics need "
                              "it."),
    "invalid_time": _l("Give a time like 08:30."),
    "invalid_rule": _l("The end must be after the start."),
    "overlapping_rules": _l("Two opening rules of an office overlap."),
    "invalid_date": _l("Give a date like 2026-12-24."),
    "date_past": _l("That day is past."),
    "device_exists": _l("A device with this name exists already."),
}


def explain(exc):
    return str(MESSAGES.get(exc.code, exc.message))


def field_errors(exc):
    """{field: message} for a form: the rule's field, or the form as a whole."""
    return {exc.details.get("field") or "__form__": explain(exc)}


def office_page(view):
    """Admins change; supervisors may look (GET) but every change is refused (403)."""
    @wraps(view)
    @staff_required(*INSIGHT_ROLES)
    def wrapper(*args, **kwargs):
        if request.method != "GET" and current_staff().role != StaffRole.ADMIN:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def can_change():
    staff = current_staff()
    return staff is not None and staff.role == StaffRole.ADMIN


def init_app(app):
    # Route modules decorate `bp`, so they are imported once it exists.
    from . import (audit_pages, calendar_pages, catalog_pages, device_pages,  # noqa: F401
                   settings_pages, staff_pages)
    from ...services import settings
    app.register_blueprint(bp)

    # What the admin stored wins over the defaults, in every process, from the next request.
    @app.before_request
    def _stored_settings():
        if request.endpoint not in ("static", "api.health"):
            settings.apply()

    @app.context_processor
    def _office():
        return {"can_change": can_change}

    @app.template_filter("local_time")
    def local_time(value):
        if not value:
            return "—"
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(centre_tz()).strftime("%Y-%m-%d %H:%M")
