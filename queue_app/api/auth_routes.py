from flask import jsonify

from .. import limits
from ..clock import now
from ..services import auth as auth_service
from . import bp
from .auth import STAFF, bearer_token, require
from .schemas import TokenRequest, parse


@bp.post("/auth/token")
@limits.login
def issue_token():
    body = parse(TokenRequest)
    token = auth_service.issue_staff_token(body.username, body.password, now())
    return jsonify({"token": token}), 201


@bp.delete("/auth/token")
@require(roles=STAFF)
def revoke_token():
    auth_service.revoke_token(bearer_token(), now())
    return "", 204
