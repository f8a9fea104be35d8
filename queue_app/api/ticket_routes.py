from flask import g, jsonify

from .. import admission
from ..clock import now
from ..services import feedback, ticket_actions, tickets
from . import bp
from ..domain.lifecycle import DeviceKind
from ..services.intake import DayFull
from .auth import DESK_STAFF, STAFF, require
from .errors import error_response
from .schemas import (FeedbackRequest, TicketRequest, TransferRequest, idempotency_key,
                      parse)


@bp.post("/tickets")
@admission.in_person
@require(roles=STAFF, devices=(DeviceKind.KIOSK,))
def issue_ticket():
    key = idempotency_key()
    body = parse(TicketRequest)
    try:
        view, replayed = tickets.issue_ticket(
            body.services, body.lang, body.priority_reason(), now(), g.principal,
            idempotency_key=key, digest=body.digest())
    except DayFull as exc:
        return _day_full(exc)
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


@bp.post("/tickets/<ticket_id>/leave")
def leave(ticket_id):
    """The ticket holder gives up their place: the id is the visitor's key, as for reading."""
    return jsonify(ticket_actions.leave(ticket_id, now()))


@bp.post("/tickets/<ticket_id>/transfer")
@require(roles=DESK_STAFF)
def transfer(ticket_id):
    body = parse(TransferRequest)
    return jsonify(ticket_actions.transfer(ticket_id, body.service, g.principal.staff, now()))


def _day_full(exc):
    """The contract puts the alternatives beside the error, where a kiosk finds them."""
    details = dict(exc.details)
    next_slots = details.pop("next_slots")
    response = error_response(exc.status, exc.code, exc.message, **details)
    body = response.get_json()
    body["next_slots"] = next_slots
    response.set_data(jsonify(body).get_data())
    return response


@bp.post("/tickets/<ticket_id>/feedback")
def give_feedback(ticket_id):
    """The ticket's id is the holder's only key, as for reading it."""
    body = parse(FeedbackRequest)
    return jsonify(feedback.give(ticket_id, body.rating, body.comment, now())), 201
