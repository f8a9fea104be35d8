"""The only caller of socketio.emit. Called after a commit, never inside a transaction."""
import threading

from .extensions import socketio

DISPLAY_NAMESPACE = "/display"
TICKET_NAMESPACE = "/ticket"


def zone_room(zone_code):
    return f"zone:{zone_code}"


def ticket_room(public_id):
    return f"ticket:{public_id}"


def ticket_called(payload, zone_code):
    socketio.emit("called", payload, to=zone_room(zone_code), namespace=DISPLAY_NAMESPACE)


def tickets_changed(views, yield_every=None):
    """One `ticket` event per view; a long batch (a whole queue, in the background) yields
    to other requests every `yield_every` views, so a call at a desk never waits for it."""
    for n, view in enumerate(views, start=1):
        socketio.emit("ticket", view, to=ticket_room(view["id"]), namespace=TICKET_NAMESPACE)
        if yield_every and n % yield_every == 0:
            socketio.sleep(0)


def followed_tickets(app):
    """Public ids of the tickets somebody follows (a phone in the ticket's room), or None
    when that is not known here: with a message queue the followers may be on another
    process, so every view must be sent."""
    if app.config["SOCKETIO_MESSAGE_QUEUE"]:
        return None
    prefix = ticket_room("")
    rooms = socketio.server.manager.rooms.get(TICKET_NAMESPACE, {})
    return {room[len(prefix):] for room, members in list(rooms.items())
            if room and room.startswith(prefix) and members}


def in_background(task, *args):
    """Run `task(*args)` after the current request, in the server's own async mode."""
    socketio.start_background_task(task, *args)


def waiting_changed(counts):
    socketio.emit("waiting", counts, namespace=DISPLAY_NAMESPACE)


class _Coalescer:
    """Runs one pending computation after `delay` however often it is asked for meanwhile:
    in a rush of tickets the boards get one count update, not one per ticket."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = False

    def request(self, app, compute, delay):
        if delay <= 0:
            waiting_changed(compute())
            return
        with self._lock:
            if self._pending:
                return
            self._pending = True
        socketio.start_background_task(self._run, app, compute, delay)

    def _run(self, app, compute, delay):
        socketio.sleep(delay)
        with self._lock:
            self._pending = False
        with app.app_context():
            counts = compute()
        waiting_changed(counts)


_waiting = _Coalescer()


def waiting_changed_soon(app, compute, delay):
    """Send the boards `compute()` (waiting counts) within `delay` seconds."""
    _waiting.request(app, compute, delay)


def send_display_state(state, sid):
    socketio.emit("state", state, to=sid, namespace=DISPLAY_NAMESPACE)


def send_ticket(view, sid):
    socketio.emit("ticket", view, to=sid, namespace=TICKET_NAMESPACE)
