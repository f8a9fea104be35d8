"""The supervisor's floor view: refreshed in place every few seconds."""
from flask import current_app, render_template
from flask_babel import get_locale

from ..clock import now
from ..domain.lifecycle import INSIGHT_ROLES
from ..services.floor import floor_state
from . import bp
from .session_auth import current_staff, staff_required

FLOOR_ROLES = INSIGHT_ROLES


def _state():
    return floor_state(now(), str(get_locale()), current_app.config["BOARD_SILENT_SECONDS"])


@bp.get("/floor")
@staff_required(*FLOOR_ROLES)
def floor():
    return render_template("floor.html", floor=_state(), staff=current_staff())


@bp.get("/floor/live")
@staff_required(*FLOOR_ROLES)
def floor_live():
    return render_template("floor_live.html", floor=_state())
