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
psycopg2 waits through the green library's callback (see queue_app.async_mode). There, reads
run outside transactions (see `_reads_without_transactions`).
"""
import contextvars
import re
import threading
import time
from contextlib import contextmanager, nullcontext

import psycopg2
from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DisconnectionError, OperationalError

from .extensions import db

_immediate = contextvars.ContextVar("sqlite_begin_immediate", default=False)
_single_write = contextvars.ContextVar("postgresql_single_write", default=False)
# Created at import, after any monkey-patching, so it is green where the server is.
_sqlite_writers = threading.RLock()
# How a request takes its turn around SQLite's write lock, and whether it should let the
# building go first there: admission's (`turn_taking`); without admission nobody waits.
_turns = {"give_way": lambda: None, "goes_first": lambda: False}


# SQLite's in-C busy wait: long enough for a WAL checkpoint, short enough not to stall.
SQLITE_C_BUSY_MS = 20
RETRY_SLEEP = 0.005
_PENDING_EVENTS = "pending_domain_events"
_WRITING = "in_write_transaction"


# What must not run outside a transaction on PostgreSQL: anything that writes or locks.
_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|WITH|CREATE|ALTER|DROP|TRUNCATE|"
                     r"COMMENT|GRANT|REVOKE|LOCK)\b|\bFOR\s+(NO\s+KEY\s+|KEY\s+)?"
                     r"(UPDATE|SHARE)\b", re.IGNORECASE)


def configure_engine(engine):
    if engine.dialect.name == "postgresql":
        _reads_without_transactions(engine)
        return
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


def _reads_without_transactions(engine):
    """PostgreSQL: statements that only read run in autocommit. Under READ COMMITTED each
    statement takes its own snapshot anyway, so a read transaction bought nothing but two
    round trips per request (BEGIN, and COMMIT or ROLLBACK) and a backend "idle in
    transaction" while the request waited for its turn on the hub. psycopg2's autocommit
    switch is the client's own (no statement is sent), so a connection leaves the pool in
    autocommit, and the first statement that writes or locks (`_WRITES`), or the start of
    a write_transaction, turns it off: from there on the session's work is one transaction
    again, until its commit or rollback, as before."""

    @event.listens_for(engine, "checkout")
    def _autocommit(dbapi_connection, _record, _proxy):
        try:
            dbapi_connection.autocommit = True
        except psycopg2.Error as exc:      # closed while pooled: let the pool replace it
            raise DisconnectionError(str(exc)) from exc

    @event.listens_for(engine, "before_cursor_execute")
    def _transaction_for_writes(conn, _cursor, statement, _params, _context, _many):
        dbapi_connection = conn.connection.dbapi_connection
        if (dbapi_connection.autocommit and not _single_write.get()
                and _WRITES.search(statement)):
            dbapi_connection.autocommit = False


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
    the commit, which with two processes serialised both on the slower one's turns. What
    the request read before is then as current as a read inside would be, so it is kept
    (`reads_kept` is True). On SQLite it is an ordinary write transaction.

    Otherwise rows the request read before are expired, so every row used here is read
    again inside the transaction that writes. SQLite must end the earlier read transaction
    to begin one that holds the write lock; on PostgreSQL the request's reads ran outside
    any transaction, and its write transaction begins with its first statement.
    """
    session = db.session()
    sqlite = is_sqlite()
    if sqlite and session.in_transaction():
        session.commit()
    if sqlite or not single_write:
        session.expire_all()
    with _sqlite_write_lock() if sqlite else nullcontext():
        single = None
        if sqlite:
            _begin_immediate(session)
        elif single_write:
            single = _single_write.set(True)
        else:
            dbapi_connection = session.connection().connection.dbapi_connection
            if dbapi_connection.autocommit:     # else a write has opened it already
                dbapi_connection.autocommit = False
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
            if single is not None:
                _single_write.reset(single)
    if sqlite:
        # A turn between the commit and the work after it (events, the answer): a kiosk
        # that waited for the lock goes on now, not after all of this resident's request.
        _turns["give_way"]()
    events = session.info.pop(_PENDING_EVENTS, None)
    if events:
        current_app.extensions["after_commit"](events)


def reads_kept():
    """Inside write_transaction: whether what the request read before it is still loaded
    and current (PostgreSQL's single write), or was expired to be read again."""
    return _single_write.get()


@contextmanager
def _sqlite_write_lock():
    """This process's SQLite writers one at a time, the building's first: a resident's
    request that gets the lock while a kiosk's or desk's request is in flight hands it on
    and stands aside (admission.give_way, bounded). The lock goes to whoever waited
    longest, and at a release three residents' bookings (~5-15 ms each) were often ahead
    of the kiosk's ticket.

    A resident first takes a turn of the hub (give_way) even when no building request is
    known to be in flight: one may be waiting unread in its socket, since SQLite's
    statements never hand the hub over, and the whole write transaction would run before
    the hub looked."""
    while True:
        _turns["give_way"]()
        _sqlite_writers.acquire()
        if not _turns["goes_first"]():
            break
        _sqlite_writers.release()
    try:
        yield
    finally:
        _sqlite_writers.release()


def turn_taking(give_way, goes_first):
    """Set by admission.init_app: `give_way()` takes a request's turn where it holds
    nothing (before the write lock, after the commit); `goes_first()` says whether the
    request that just got the lock should hand it on to the building."""
    _turns.update(give_way=give_way, goes_first=goes_first)


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
