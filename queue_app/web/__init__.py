"""Server-rendered pages and the phone page's Socket.IO namespace."""
from flask import Blueprint, abort, render_template, request
from flask_socketio import ConnectionRefusedError, join_room

from .. import events
from ..clock import now
from ..extensions import socketio
from ..services.queue_state import get_visit, ticket_view

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/t/<ticket_id>")
def track(ticket_id):
    visit = get_visit(ticket_id)
    if visit is None:
        abort(404)
    return render_template("track.html", ticket=ticket_view(visit, now()))


def on_ticket_connect(auth=None):
    ticket_id = auth.get("ticket") if isinstance(auth, dict) else None
    ticket_id = ticket_id or request.args.get("ticket")
    visit = get_visit(ticket_id) if isinstance(ticket_id, str) else None
    if visit is None:
        raise ConnectionRefusedError({"code": "ticket_not_found", "message": "Unknown ticket."})
    join_room(events.ticket_room(visit.public_id))
    events.send_ticket(ticket_view(visit, now()), request.sid)


def init_app(app):
    socketio.on_event("connect", on_ticket_connect, namespace=events.TICKET_NAMESPACE)
    app.register_blueprint(bp)
