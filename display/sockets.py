"""The `/display` namespace: state on connect, `sync` on request, board heartbeats."""
from flask import request
from flask_socketio import ConnectionRefusedError, join_room

from queue_app import events
from queue_app.clock import centre_tz, now
from queue_app.extensions import socketio
from queue_app.services.devices import record_heartbeat
from queue_app.services.queue_state import display_state, zone_exists
from queue_app.domain.lifecycle import DeviceKind
from queue_app.web.session_auth import current_device


def _zone(auth):
    zone = (auth or {}).get("zone") if isinstance(auth, dict) else None
    return zone or request.args.get("zone")


def _beat():
    # Boards set up on the device carry its cookie; anonymous viewers are simply not tracked.
    device = current_device(DeviceKind.DISPLAY)
    if device is not None:
        record_heartbeat(device.id, now())


def on_connect(auth=None):
    zone = _zone(auth)
    if not zone or not zone_exists(zone):
        raise ConnectionRefusedError({"code": "unknown_zone", "message": "Give a known zone."})
    join_room(events.zone_room(zone))
    events.send_display_state(display_state(zone, now(), centre_tz()), request.sid)
    _beat()


def on_sync(data=None):
    """A board asks for the whole state again."""
    zone = _zone(data) if data else None
    rooms = [r for r in socketio.server.rooms(request.sid, namespace=events.DISPLAY_NAMESPACE)
             if r.startswith("zone:")]
    zone = zone or (rooms[0].split(":", 1)[1] if rooms else None)
    if zone and zone_exists(zone):
        events.send_display_state(display_state(zone, now(), centre_tz()), request.sid)


def on_heartbeat(data=None):
    _beat()


def register():
    socketio.on_event("connect", on_connect, namespace=events.DISPLAY_NAMESPACE)
    socketio.on_event("sync", on_sync, namespace=events.DISPLAY_NAMESPACE)
    socketio.on_event("heartbeat", on_heartbeat, namespace=events.DISPLAY_NAMESPACE)
