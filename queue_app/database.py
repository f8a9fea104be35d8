"""Engine settings and the one way to run a write transaction on either database.

SQLite allows one writer. A read-modify-write that starts with a plain BEGIN can read a
row, lose the race for the write lock and fail; `BEGIN IMMEDIATE` takes the lock first, so
the transaction is serial from its first read. Inside one process, writers also queue on a
lock before BEGIN: under eventlet or gevent the SQLite call would otherwise hold the whole
hub while it waits in C for another greenlet that can never run.

PostgreSQL needs neither: rows are locked where it matters (SKIP LOCKED, upserts).
"""
import contextvars
import threading
from contextlib import contextmanager

from sqlalchemy import event

from .extensions import db

_immediate = contextvars.ContextVar("sqlite_begin_immediate", default=False)
# Created at import, after any monkey-patching, so it is green where the server is.
_sqlite_writers = threading.RLock()


def configure_engine(engine, busy_timeout_ms):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Hand transaction control to SQLAlchemy's begin event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


def is_sqlite():
    return db.session.get_bind().dialect.name == "sqlite"


@contextmanager
def write_transaction():
    """Run the body as one transaction that commits at the end or rolls back on error.

    Whatever the request read before is ended and expired first, so every row used here is
    read inside the transaction that writes.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.expire_all()
    sqlite = is_sqlite()
    lock = _sqlite_writers if sqlite else _NoLock()
    with lock:
        token = _immediate.set(sqlite)
        try:
            session.connection()
        finally:
            _immediate.reset(token)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
