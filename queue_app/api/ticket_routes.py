from flask import g, jsonify

from ..clock import now
from ..services import ticket_actions, tickets
from . import bp
from ..domain.lifecycle import DeviceKind
from .auth import DESK_STAFF, STAFF, require
from .schemas import TicketRequest, TransferRequest, idempotency_key, parse


@bp.post("/tickets")
@require(roles=STAFF, devices=(DeviceKind.KIOSK,))
def issue_ticket():
    key = idempotency_key()
    body = parse(TicketRequest)
    view, replayed = tickets.issue_ticket(
        body.services, body.lang, body.priority_reason(), now(), g.principal,
        idempotency_key=key, digest=body.digest())
    response = jsonify(view)
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/tickets/{view['id']}"
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/tickets/<ticket_id>")
def get_ticket(ticket_id):
    return jsonify(tickets.get_ticket(ticket_id, now()))


@bp.post("/tickets/<ticket_id>/<any(recall, start, finish, 'no-show', park, resume):action>")
@require(roles=DESK_STAFF)
def ticket_action(ticket_id, action):
    return jsonify(ticket_actions.BY_NAME[action](ticket_id, g.principal.staff, now()))


@bp.post("/tickets/<ticket_id>/transfer")
@require(roles=DESK_STAFF)
def transfer(ticket_id):
    body = parse(TransferRequest)
    return jsonify(ticket_actions.transfer(ticket_id, body.service, g.principal.staff, now()))
