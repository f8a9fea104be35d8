from flask import g, jsonify

from .. import admission
from ..clock import now
from ..services import calling, desk_sessions
from . import bp
from ..domain.lifecycle import StaffRole
from .auth import DESK_STAFF, require
from .schemas import DeskSessionRequest, parse


@bp.post("/desks/<desk>/session")
@require(roles=DESK_STAFF)
def sign_in(desk):
    body = parse(DeskSessionRequest)
    return jsonify(desk_sessions.sign_in(desk, g.principal.staff, body.services, now()))


@bp.delete("/desks/<desk>/session")
@require(roles=DESK_STAFF + (StaffRole.ADMIN,))
def sign_out(desk):
    desk_sessions.sign_out(desk, g.principal.staff, now())
    return "", 204


@bp.post("/desks/<desk>/call-next")
@admission.in_person
@require(roles=DESK_STAFF)
def call_next(desk):
    view = calling.call_next(desk, g.principal.staff, now())
    if view is None:
        return "", 204
    return jsonify(view)
