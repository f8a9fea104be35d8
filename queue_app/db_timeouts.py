"""A database that hangs (not down: packets accepted, no answer) must cost a request a few
seconds and a 503, never a minute and a 500.

- the server cancels a statement after DB_STATEMENT_TIMEOUT_MS (`statement_timeout`);
- a request waits at most DB_POOL_TIMEOUT seconds for a pooled connection;
- psycopg2's wait callback (it runs every query and connect, also under eventlet and
  gevent, whose green `select` it then uses) gives up after DB_WAIT_SECONDS of silence,
  which also bounds a connect and a statement the server never sees; the connection is
  then thrown away, not handed to the next request in an unknown state.
"""
import select
import time

import psycopg2
from psycopg2 import extensions
from sqlalchemy import event


class DatabaseSilent(psycopg2.OperationalError):
    """No answer from the database in time (its connection is discarded)."""


def engine_options(config):
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return {}
    statement_ms = config["DB_STATEMENT_TIMEOUT_MS"]
    # No pool_pre_ping: against a hanging server the ping and then the fresh connection
    # would each wait the full time. A broken connection fails its request once (503) and
    # SQLAlchemy then discards the whole pool.
    return {"pool_timeout": config["DB_POOL_TIMEOUT"],
            "pool_size": config["DB_POOL_SIZE"], "max_overflow": config["DB_POOL_OVERFLOW"],
            "connect_args": {"connect_timeout": max(1, round(config["DB_WAIT_SECONDS"])),
                             "options": f"-c statement_timeout={statement_ms}"}}


def install(engine, seconds):
    extensions.set_wait_callback(_wait_callback(seconds))

    @event.listens_for(engine, "handle_error")
    def _discard_silent(context):
        if isinstance(context.original_exception, DatabaseSilent):
            context.is_disconnect = True


def _wait_callback(seconds):
    def wait(conn):
        deadline = time.monotonic() + seconds
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DatabaseSilent(f"no answer from the database in {seconds:g} s")
            if state == extensions.POLL_READ:
                select.select([conn.fileno()], [], [], remaining)
            elif state == extensions.POLL_WRITE:
                select.select([], [conn.fileno()], [], remaining)
            else:
                raise psycopg2.OperationalError(f"unexpected poll state {state}")
    return wait
