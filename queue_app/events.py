"""The only caller of socketio.emit. Called after a commit, never inside a transaction."""
from .extensions import socketio

DISPLAY_NAMESPACE = "/display"
TICKET_NAMESPACE = "/ticket"


def zone_room(zone_code):
    return f"zone:{zone_code}"


def ticket_room(public_id):
    return f"ticket:{public_id}"


def ticket_called(payload, zone_code):
    socketio.emit("called", payload, to=zone_room(zone_code), namespace=DISPLAY_NAMESPACE)


def tickets_changed(views):
    for view in views:
        socketio.emit("ticket", view, to=ticket_room(view["id"]), namespace=TICKET_NAMESPACE)


def waiting_changed(counts):
    socketio.emit("waiting", counts, namespace=DISPLAY_NAMESPACE)


def send_display_state(state, sid):
    socketio.emit("state", state, to=sid, namespace=DISPLAY_NAMESPACE)


def send_ticket(view, sid):
    socketio.emit("ticket", view, to=sid, namespace=TICKET_NAMESPACE)
