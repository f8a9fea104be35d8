from datetime import date

from flask import jsonify, request

from ..clock import centre_tz, now
from ..domain.errors import InvalidInput
from ..services import reports
from . import bp
from .auth import require

SUPERVISORS = ("supervisor", "admin")


def _day():
    raw = request.args.get("date")
    if raw is None:
        return now().astimezone(centre_tz()).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("date must be YYYY-MM-DD.", code="invalid_date") from None


@bp.get("/reports/daily")
@require(roles=SUPERVISORS)
def daily():
    return jsonify(reports.daily(_day()))


@bp.get("/reports/staffing")
@require(roles=SUPERVISORS)
def staffing():
    return jsonify(reports.staffing_by_hour(_day(), centre_tz()))
