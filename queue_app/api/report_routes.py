from flask import jsonify

from ..clock import centre_tz, now
from ..domain.lifecycle import INSIGHT_ROLES
from ..services import reports
from . import bp
from .auth import require
from .schemas import date_arg

SUPERVISORS = tuple(INSIGHT_ROLES)


def _day():
    return date_arg("date", now().astimezone(centre_tz()).date())


@bp.get("/reports/daily")
@require(roles=SUPERVISORS)
def daily():
    return jsonify(reports.daily(_day()))


@bp.get("/reports/staffing")
@require(roles=SUPERVISORS)
def staffing():
    return jsonify(reports.staffing_by_hour(_day(), centre_tz()))
