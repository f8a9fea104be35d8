"""Engine settings and the one way to run a write transaction on either database.

SQLite allows one writer. A read-modify-write that starts with a plain BEGIN can read a
row, lose the race for the write lock and fail; `BEGIN IMMEDIATE` takes the lock first, so
the transaction is serial from its first read. Inside one process, writers also queue on a
lock before BEGIN: under eventlet or gevent the SQLite call would otherwise hold the whole
hub while it waits in C for another greenlet that can never run.

Another process holding SQLite's lock (a CLI command, a second server) must not freeze
the hub either: SQLite's own busy wait sleeps in C, so it is kept short and the wait for
`BEGIN IMMEDIATE` is a retry loop around a patched, cooperative `time.sleep`.

PostgreSQL needs none of this: rows are locked where it matters (SKIP LOCKED, upserts), and
psycopg2 waits through the green library's callback (see queue_app.async_mode).
"""
import contextvars
import threading
import time
from contextlib import contextmanager, nullcontext

from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from . import admission
from .extensions import db

_immediate = contextvars.ContextVar("sqlite_begin_immediate", default=False)
# Created at import, after any monkey-patching, so it is green where the server is.
_sqlite_writers = threading.RLock()


# SQLite's in-C busy wait: long enough for a WAL checkpoint, short enough not to stall.
SQLITE_C_BUSY_MS = 20
RETRY_SLEEP = 0.005
_PENDING_EVENTS = "pending_domain_events"
_WRITING = "in_write_transaction"


def configure_engine(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Hand transaction control to SQLAlchemy's begin event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_C_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


def is_sqlite():
    return db.session.get_bind().dialect.name == "sqlite"


@contextmanager
def write_transaction(single_write=False):
    """Run the body as one transaction that commits at the end or rolls back on error.

    Domain events recorded inside (`record`) are handed on after the commit.

    `single_write`: the body reads what it likes and then writes with exactly one
    statement. On PostgreSQL that statement then commits by itself (autocommit): the row
    locks it takes (a ticket counter's) are held inside the server for the statement's run
    only, never across a round trip and the wait for this process's hub to come back to
    the commit, which with two processes serialised both on the slower one's turns. On
    SQLite it is an ordinary write transaction.

    Rows the request read before are expired, so every row used here is read again inside
    the transaction that writes. SQLite must end the earlier read transaction to begin one
    that holds the write lock; PostgreSQL (READ COMMITTED) simply goes on in it, saving
    two round trips.
    """
    session = db.session()
    sqlite = is_sqlite()
    if sqlite and session.in_transaction():
        session.commit()
    session.expire_all()
    with _sqlite_write_lock() if sqlite else nullcontext():
        if sqlite:
            _begin_immediate(session)
        elif single_write:
            if session.in_transaction():
                session.commit()      # the request's read transaction
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:
            session.connection()
        session.info[_WRITING] = True
        try:
            yield session
            session.commit()
        except BaseException:
            session.info.pop(_PENDING_EVENTS, None)
            session.rollback()
            raise
        finally:
            session.info.pop(_WRITING, None)
    events = session.info.pop(_PENDING_EVENTS, None)
    if events:
        current_app.extensions["after_commit"](events)


@contextmanager
def _sqlite_write_lock():
    """This process's SQLite writers one at a time, the building's first: a resident's
    request that gets the lock while a kiosk's or desk's request is in flight hands it on
    and stands aside (admission.give_way, bounded). The lock goes to whoever waited
    longest, and at a release three residents' bookings (~5-15 ms each) were often ahead
    of the kiosk's ticket."""
    while True:
        _sqlite_writers.acquire()
        if not admission.building_goes_first():
            break
        _sqlite_writers.release()
        admission.give_way()
    try:
        yield
    finally:
        _sqlite_writers.release()


def in_write_transaction():
    return bool(db.session.info.get(_WRITING))


def taking_write_lock():
    """True while this request waits for, or takes, SQLite's write lock."""
    return _immediate.get()


def record(*events):
    """Note domain events on the running write transaction. They are handed on (to the
    handler create_app registers as `after_commit`) only once it has committed, and
    dropped if it rolls back: nothing is announced that did not happen."""
    db.session.info.setdefault(_PENDING_EVENTS, []).extend(events)


def _begin_immediate(session):
    """Take SQLite's write lock, waiting cooperatively while another process holds it."""
    deadline = time.monotonic() + current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
    token = _immediate.set(True)
    try:
        while True:
            try:
                session.connection()
                return
            except OperationalError as exc:
                session.rollback()
                if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                    raise
                time.sleep(RETRY_SLEEP)
    finally:
        _immediate.reset(token)


def increment(model, keys, column):
    """An upsert that creates the counter row at 1 or adds 1 to `column`, as one statement:
    its row lock serialises concurrent writers on PostgreSQL, and it rolls back with the
    transaction it is part of. Callers may add `.returning(...)`."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return (insert(model).values(**keys, **{column: 1})
            .on_conflict_do_update(index_elements=list(keys),
                                   set_={column: getattr(model, column) + 1}))
