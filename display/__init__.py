"""The waiting-room display board: its Socket.IO namespace (pages come with the faces)."""
from flask import Blueprint, request
from flask_socketio import ConnectionRefusedError, join_room

from queue_app import events
from queue_app.clock import centre_tz, now
from queue_app.extensions import socketio
from queue_app.services.queue_state import display_state, zone_exists

bp = Blueprint("display", __name__, url_prefix="/display")


def _zone(auth):
    zone = (auth or {}).get("zone") if isinstance(auth, dict) else None
    return zone or request.args.get("zone")


def on_connect(auth=None):
    zone = _zone(auth)
    if not zone or not zone_exists(zone):
        raise ConnectionRefusedError({"code": "unknown_zone", "message": "Give a known zone."})
    join_room(events.zone_room(zone))
    events.send_display_state(display_state(zone, now(), centre_tz()), request.sid)


def on_sync(data=None):
    """A board asks for the whole state again (its periodic self-healing poll)."""
    zone = _zone(data) if data else None
    rooms = [r for r in socketio.server.rooms(request.sid, namespace=events.DISPLAY_NAMESPACE)
             if r.startswith("zone:")]
    zone = zone or (rooms[0].split(":", 1)[1] if rooms else None)
    if zone and zone_exists(zone):
        events.send_display_state(display_state(zone, now(), centre_tz()), request.sid)


def init_app(app):
    socketio.on_event("connect", on_connect, namespace=events.DISPLAY_NAMESPACE)
    socketio.on_event("sync", on_sync, namespace=events.DISPLAY_NAMESPACE)
    app.register_blueprint(bp)
