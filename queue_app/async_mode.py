"""The one place that knows about eventlet and gevent: patch the standard library before
anything else is imported. Eventlet is in maintenance upstream, so the rest of the code
stays neutral and `ASYNC_MODE` alone chooses."""
import contextlib
import functools
import importlib
import itertools
import os
import warnings

MODES = ("eventlet", "gevent", "threading")
LISTEN_BACKLOG = 1024
ACCEPTS_PER_TURN = 8
EVENTLET_NOTICE = r"\s*Eventlet is deprecated"


@contextlib.contextmanager
def quiet_eventlet_notice():
    """Eventlet's deprecation notice is known and answered by ASYNC_MODE: keep the server's
    start and every CLI command (which imports the Socket.IO driver too) free of it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=EVENTLET_NOTICE)
        yield


# What `patch` installed: tests and the CLI never patch, so they call directly.
_patched = "threading"
# Its green sleep, looked up once: pass_turn runs before every statement of a resident's.
_sleep = None
# Hashes at once: with one core left free the hub still gets a whole core while a crowd
# guesses passwords (bench/login_storm.py); the others queue, as cheap waiting greenlets.
_HASHES_AT_ONCE = max(1, (os.cpu_count() or 2) - 1)
_hash_slots = None


def patch(mode):
    global _patched, _sleep
    if mode not in MODES:
        raise SystemExit(f"ASYNC_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    _patched = mode
    if mode == "eventlet":
        with quiet_eventlet_notice():
            # Also installs psycopg2's wait callback, so PostgreSQL waits yield.
            eventlet = importlib.import_module("eventlet")
            eventlet.monkey_patch()
        # Flask-SocketIO opens its socket with eventlet's default backlog of 50: in a rush
        # (hundreds of residents at 07:00) the kernel then resets connections before the
        # server sees them (bench/booking_rush.py). The system caps it (somaxconn) anyway.
        # And no SO_REUSEPORT: a second server on the same port must fail, not share it.
        eventlet.listen = functools.partial(_listen_in_turn, eventlet.listen, eventlet.sleep)
        _sleep = eventlet.sleep
    elif mode == "gevent":
        importlib.import_module("gevent.monkey").patch_all()
        _sleep = importlib.import_module("gevent").sleep
        # psycopg2 is C: without this wait callback a query would hold the whole hub.
        importlib.import_module("psycogreen.gevent").patch_psycopg()


def _listen_in_turn(listen, sleep, *args, **kwargs):
    """The server's socket, accepting at most ACCEPTS_PER_TURN connections per turn of the
    hub. Its accept loop otherwise takes every connection waiting (at a booking release,
    500 in the same instant) and their greenlets then all read and parse their requests
    back to back before the hub looks at any socket again: a kiosk's ticket waited
    0.1-0.2 s behind them (bench/release_rush.py). The kernel's backlog holds the rest
    meanwhile; one connection per turn held them there too long (search p99 1.4-2.8 s)."""
    sock = listen(*args, backlog=LISTEN_BACKLOG, reuse_port=False, **kwargs)
    accept = sock.accept
    accepted = itertools.count(1)

    def accept_in_turn():
        if next(accepted) % ACCEPTS_PER_TURN == 0:
            sleep(0)
        return accept()
    sock.accept = accept_in_turn
    return sock


def unyielding_select():
    """`select.select` as it was before patching: a wait that keeps the hub (every other
    request waits meanwhile), for the few waits that should go first
    (`db_timeouts.wait_callback`)."""
    if _patched == "eventlet":
        return importlib.import_module("eventlet.patcher").original("select").select
    if _patched == "gevent":
        return importlib.import_module("gevent.monkey").get_original("select", "select")
    return importlib.import_module("select").select


def pass_turn():
    """Let every other request that is ready run before going on (and the hub look at the
    sockets). Code that computes without waiting for anything (an SQLite query is a C call)
    otherwise holds the event loop to its end; OS threads are shared by the kernel."""
    sleep = _sleep
    if sleep is not None:
        sleep(0)


def take_turns(wsgi_app):
    """Each request starts with a turn of the hub, so connections are served in turn.

    Under eventlet's and gevent's servers a kept-alive connection's greenlet goes straight
    on to its next request when that has already arrived, without going back to the hub:
    with a request's work taking longer than a client's round trip, one connection was
    served a dozen times in a row while the others' requests sat unread, and under 32
    clients the tail was 2 s beside a 5 ms median (bench/scale_out.py). Yielding first
    lets every connection that is ready have its turn; it costs one pass of the hub."""
    sleep = _sleep
    if sleep is None:
        return wsgi_app   # OS threads: the kernel shares the turns

    def in_turn(environ, start_response):
        sleep(0)
        return wsgi_app(environ, start_response)
    return in_turn


def off_the_hub(func, *args):
    """Run CPU-bound `func` (a password hash: ~100 ms of scrypt) in a real OS thread, so the
    hub keeps serving everyone else meanwhile (scrypt releases the GIL while it works),
    and at most _HASHES_AT_ONCE of them, so they cannot take every core either."""
    global _hash_slots
    if _hash_slots is None:
        # Made after patching, so waiting for a slot is green.
        _hash_slots = importlib.import_module("threading").BoundedSemaphore(_HASHES_AT_ONCE)
    with _hash_slots:
        if _patched == "eventlet":
            return importlib.import_module("eventlet.tpool").execute(func, *args)
        if _patched == "gevent":
            return importlib.import_module("gevent").get_hub().threadpool.apply(func, args)
        return func(*args)
