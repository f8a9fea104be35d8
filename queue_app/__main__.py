"""`python -m queue_app [--host H] [--port P] [--demo]`: the server.

The async library (ASYNC_MODE) is patched in before anything else is imported.
"""
import os

from queue_app.async_mode import patch, take_turns

patch(os.environ.get("ASYNC_MODE", "eventlet"))

import argparse  # noqa: E402  (after patching, on purpose)
import gc
import socket
import sys

from config import demo_centre
from config.settings import SettingsError
from queue_app import create_app
from queue_app.clock import now
from queue_app import admission, schema
from queue_app.extensions import db, socketio
from queue_app.links import server_url
from queue_app.services import setup


GC_GEN0_THRESHOLD = 5_000
SERVER_REQUEST_LINE_LIMIT = 64 * 1024
# Connections kept open for the building beside the residents let in: kiosks, desks,
# boards' state and the after-commit work at the same moment.
POOL_FOR_THE_BUILDING = 4


def banner(app, host, port, demo):
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    lines = [f"Anlaufstelle is running at {base}  (async mode: {app.config['ASYNC_MODE']})",
             f"  Kiosk:          {base}/kiosk/   (set the device up once at {base}/device/setup)",
             f"  Display boards: {base}/display/eg  ·  {base}/display/og1",
             f"  Clerk desk:     {base}/desk/",
             f"  Floor view:     {base}/floor   (supervisor or admin)",
             f"  Back office:    {base}/admin/   (admin changes, supervisor looks)",
             f"  Book online:    {base}/book/   (mails land in {app.config['MAIL_OUTBOX']})",
             f"  API:            {base}/api/v1/services?lang=en",
             f"  OpenAPI:        {base}/api/v1/openapi.json"]
    if demo:
        users = ", ".join(u["username"] for u in demo_centre.STAFF)
        lines += [f"  Demo logins:    {users}  — password: {demo_centre.DEMO_PASSWORD}",
                  "                  (mueller: registration, schmidt: vehicles, "
                  "leitung: supervisor)",
                  "  Device tokens:  " + ", ".join(
                      f"{d['name']} {d['token']}" for d in demo_centre.DEVICES)]
    if app.config["FIXED_NOW"] is not None:
        lines.append(f"  Clock:          stands at {app.config['FIXED_NOW'].isoformat()} "
                     "(FIXED_NOW, for tests only)")
    print("\n".join(lines), flush=True)


def warm_pool(app):
    """Open the PostgreSQL connections that a rush's first second needs before it comes.
    The pool otherwise holds only what a quiet hour used, and at a booking release a
    kiosk's ticket waited ~70 ms for a new backend while the residents let in took the
    idle ones (bench/release_rush.py)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        wanted = min(app.config["DB_POOL_SIZE"],
                     max(app.config["RESIDENT_REQUESTS_AT_ONCE"], 0) + POOL_FOR_THE_BUILDING)
        opened = [db.engine.raw_connection() for _ in range(wanted)]
        for connection in opened:
            connection.close()       # back to the pool, which keeps it open


def claim_port(host, port):
    """Exit at once, in one line, if another server listens on host:port. The probe binds
    without SO_REUSEPORT (which would let a second process share the port silently)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR still allows a restart while old connections linger in TIME_WAIT.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SystemExit(f"Cannot start: {host}:{port} is taken ({exc.strerror}); is "
                             f"Anlaufstelle already running there? Choose --port or stop it.")


def main():
    parser = argparse.ArgumentParser(prog="python -m queue_app")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--demo", action="store_true",
                        help="create the database and load the demo centre if it is empty")
    args = parser.parse_args()
    claim_port(args.host, args.port)
    try:
        app = create_app()
    except SettingsError as exc:
        sys.exit(f"Anlaufstelle cannot start: {exc}")
    app.config["SERVER_URL"] = server_url(args.host, args.port)
    app.wsgi_app = admission.building_first(app, app.wsgi_app, take_turns)
    if args.demo and not os.environ.get("CENTRE_NAME"):
        app.config["CENTRE_NAME"] = demo_centre.CENTRE["name"]
        app.config["CENTRE_ADDRESS"] = (os.environ.get("CENTRE_ADDRESS")
                                        or demo_centre.CENTRE["address"])
    with app.app_context():
        if args.demo and schema.no_tables():
            setup.init_db()
        behind = schema.pending()
        if behind:
            sys.exit(f"The database is behind the code (missing schema revision "
                     f"{', '.join(sorted(behind))}): run `{schema.UPGRADE_COMMAND}` "
                     f"(or `flask --app queue_app init-db`) first.")
        if args.demo and setup.seed_demo(now(), demo_centre):
            print("Demo centre loaded into a new database.", flush=True)
        db.session.remove()
    warm_pool(app)
    if app.config["RUN_SCHEDULER"]:
        app.extensions["scheduler"].start()
    # Everything built so far lives as long as the process: move it out of the collector's
    # sight. And collect less often: with a thousand boards connected, the default
    # threshold (700) ran a collection every few calls and each one stalled every board by
    # ~100 ms (bench/called_latency.py). Not much less often: at 50,000 a collection freed
    # up to 48,000 objects at once and stalled everything for 16-75 ms, a kiosk's ticket
    # in a booking release included (bench/release_rush.py); at 5,000 the longest seen
    # were ~20 ms.
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GEN0_THRESHOLD, 20, 20)
    banner(app, args.host, args.port, args.demo)
    extra = {"allow_unsafe_werkzeug": True} if app.config["ASYNC_MODE"] == "threading" else {}
    if app.config["ASYNC_MODE"] == "eventlet":
        # Let long request lines through to the app, which refuses them in its own words
        # (JSON on the API) rather than eventlet's bare 414.
        extra["url_length_limit"] = SERVER_REQUEST_LINE_LIMIT
    socketio.run(app, host=args.host, port=args.port, use_reloader=False, log_output=False,
                 **extra)


if __name__ == "__main__":
    main()
