"""The visitor's phone page (`/t/<id>`), live through the `/ticket` namespace."""
from flask import abort, g, render_template, request
from flask_socketio import ConnectionRefusedError, join_room

from .. import events
from ..clock import now
from ..extensions import socketio
from ..services.queue_state import get_visit, ticket_view
from . import bp
from .locale import supported


def _view(ticket_id):
    visit = get_visit(ticket_id)
    if visit is None:
        abort(404)
    # The page speaks the visitor's language unless they switch it here.
    asked = request.args.get("lang")
    g.lang = asked if asked and supported(asked) else visit.lang
    return ticket_view(visit, now())


@bp.get("/t/<ticket_id>")
def track(ticket_id):
    return render_template("track.html", ticket=_view(ticket_id))


@bp.get("/t/<ticket_id>/status")
def track_status(ticket_id):
    """The status part alone: the page swaps it in on every `ticket` event."""
    return render_template("track_status.html", ticket=_view(ticket_id))


def on_ticket_connect(auth=None):
    ticket_id = auth.get("ticket") if isinstance(auth, dict) else None
    ticket_id = ticket_id or request.args.get("ticket")
    visit = get_visit(ticket_id) if isinstance(ticket_id, str) else None
    if visit is None:
        raise ConnectionRefusedError({"code": "ticket_not_found", "message": "Unknown ticket."})
    join_room(events.ticket_room(visit.public_id))
    events.send_ticket(ticket_view(visit, now()), request.sid)


def init_socket():
    socketio.on_event("connect", on_ticket_connect, namespace=events.TICKET_NAMESPACE)
