"""The one place that knows about eventlet and gevent: patch the standard library before
anything else is imported. Eventlet is in maintenance upstream, so the rest of the code
stays neutral and `ASYNC_MODE` alone chooses."""
import importlib
import warnings

MODES = ("eventlet", "gevent", "threading")


def patch(mode):
    if mode not in MODES:
        raise SystemExit(f"ASYNC_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "eventlet":
        # Its deprecation notice is known and answered by this setting; keep start-up quiet.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
            # Also installs psycopg2's wait callback, so PostgreSQL waits yield.
            importlib.import_module("eventlet").monkey_patch()
    elif mode == "gevent":
        importlib.import_module("gevent.monkey").patch_all()
        # psycopg2 is C: without this wait callback a query would hold the whole hub.
        importlib.import_module("psycogreen.gevent").patch_psycopg()
