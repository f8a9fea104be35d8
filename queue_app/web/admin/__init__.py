"""The office's pages (/admin/…): the admin changes, a supervisor looks. Each handler parses
the form, calls one office service (the same as the admin API's) and renders; a rule's
error is shown beside the field it names."""
from datetime import datetime
from functools import wraps

from flask import Blueprint, abort, request

from ...clock import centre_tz
from ...domain.lifecycle import INSIGHT_ROLES, StaffRole
from ..messages import explain
from ..session_auth import current_staff, staff_required

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def field_errors(exc, say=None):
    """{field: message} for a form, every problem of the request (the first per field): the
    rule's field, or the form as a whole. `say(problem)` may word a problem itself (or
    return None for the common wording)."""
    errors = {}
    for problem in getattr(exc, "problems", None) or [exc]:
        field = problem.details.get("field") or "__form__"
        if field not in errors:
            errors[field] = (say and say(problem)) or explain(problem, **problem.details)
    return errors


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
    from . import place_pages  # noqa: F401
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
