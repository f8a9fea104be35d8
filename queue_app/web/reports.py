"""The supervisor's reports page: figures for a period, an office and a service, drawn
by static/js/reports.js from the JSON the page carries (no inline script), with every
number also in a table."""
from datetime import date, timedelta

from flask import render_template, request
from flask_babel import get_locale

from ..clock import centre_tz, now
from ..domain.errors import DomainError
from ..domain.lifecycle import INSIGHT_ROLES
from ..services import insight
from ..services.i18n import localized
from . import bp
from .messages import explain
from .session_auth import current_staff, staff_required

DEFAULT_DAYS = 28

MAX_DAYS = 400


def _period():
    today = now().astimezone(centre_tz()).date()
    try:
        first = date.fromisoformat(request.args.get("from") or
                                   (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
        last = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise DomainError("Malformed date.", code="invalid_date", status=422) from None
    if first > last:
        raise DomainError("Reversed period.", code="invalid_period", status=422)
    if (last - first).days >= MAX_DAYS:
        raise DomainError("Period too long.", code="period_too_long", status=422)
    return first, last


@bp.get("/reports")
@staff_required(*INSIGHT_ROLES)
def reports_page():
    offices, services = insight.choices()
    office = request.args.get("office") or None
    service = request.args.get("service") or None
    error = report = None
    first = last = None
    try:
        first, last = _period()
        report = insight.period_report(first, last, now(), office=office, service=service)
    except DomainError as exc:
        error = explain(exc, days=MAX_DAYS)
    lang = str(get_locale())
    names = {s.code: localized(s.names, lang) for s in services}
    return render_template("reports.html", staff=current_staff(), report=report, error=error,
                           offices=offices, services=services, office=office, names=names,
                           office_names={o.code: localized(o.names, lang) for o in offices},
                           service=service, first=first or request.args.get("from", ""),
                           last=last or request.args.get("to", "")), 422 if error else 200
