from datetime import timedelta

from flask import Response, jsonify, request
from flask_babel import force_locale

from ..clock import centre_tz, now
from ..domain.lifecycle import INSIGHT_ROLES
from ..documents import status as status_documents
from ..services import coverage, feedback, insight, reports
from . import bp
from .auth import require
from ..domain.errors import BadRequest
from .schemas import date_arg, period_args

SUPERVISORS = tuple(INSIGHT_ROLES)
DEFAULT_PERIOD_DAYS = 28


def _today():
    return now().astimezone(centre_tz()).date()


def _day():
    return date_arg("date", _today())


def period():
    """The asked period, by default the last four weeks up to today."""
    today = _today()
    return period_args(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)


@bp.get("/reports/daily")
@require(roles=SUPERVISORS, session_ok=True)
def daily():
    return jsonify(reports.daily(_day()))


@bp.get("/reports/staffing")
@require(roles=SUPERVISORS, session_ok=True)
def staffing():
    return jsonify(reports.staffing_by_hour(_day(), centre_tz()))


@bp.get("/reports/coverage")
@require(roles=SUPERVISORS, session_ok=True)
def coverage_report():
    return jsonify(coverage.coverage())


@bp.get("/reports/feedback")
@require(roles=SUPERVISORS, session_ok=True)
def feedback_report():
    first, last = period()
    return jsonify(feedback.by_service(first, last))


@bp.get("/reports/summary")
@require(roles=SUPERVISORS, session_ok=True)
def summary():
    first, last = period()
    return jsonify(insight.period_report(first, last, now(), office=request.args.get("office"),
                                         service=request.args.get("service")))


@bp.get("/reports/status")
@require(roles=SUPERVISORS, session_ok=True)
def status_report():
    first, last = period()
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "pdf", "csv"):
        raise BadRequest("`format` must be html, pdf or csv.", code="invalid_format", status=422)
    lang = request.args.get("lang", "de")
    if lang not in ("de", "en"):
        raise BadRequest("`lang` must be de or en.", code="invalid_lang", status=422)
    with force_locale(lang):
        body, mimetype, filename = status_documents.render(fmt, first, last, now())
    response = Response(body, mimetype=mimetype)
    if fmt != "html":
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
