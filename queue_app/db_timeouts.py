"""A database that hangs (not down: packets accepted, no answer) must cost a request a few
seconds and a 503, never a minute and a 500.

- the server cancels a statement after DB_STATEMENT_TIMEOUT_MS (`statement_timeout`);
- a request waits at most DB_POOL_TIMEOUT seconds for a pooled connection;
- psycopg2's wait callback (it runs every query and connect, also under eventlet and
  gevent, whose green `select` it then uses) gives up after DB_WAIT_SECONDS of silence,
  which also bounds a connect and a statement the server never sees; the connection is
  then thrown away, not handed to the next request in an unknown state.

And one wait goes first: a statement of a request for which `goes_first()` is true (a
visitor at the kiosk, a clerk calling, while residents are let in: admission) waits up to
HOLD_SECONDS for its answer without handing the hub over. Handed over, it waited for every
other request ready meanwhile to have its turn first: at a booking release each of a
kiosk's statements waited 5-15 ms for the residents' work instead of the 0.3-1 ms
PostgreSQL took (bench/release_rush.py: a ticket's p99 in the rush 92-116 ms handed over,
40-48 ms held). A slower statement (a lock wait, a hanging server) then hands the hub over
and waits as any other, within the same DB_WAIT_SECONDS.
"""
import select
import time

import psycopg2
from psycopg2 import extensions
from sqlalchemy import event

from .async_mode import unyielding_select


HOLD_SECONDS = 0.005


def _nobody():
    return False


_goes_first = _nobody


def first_in_line(goes_first):
    """Whose statements hold the hub for their first HOLD_SECONDS (see the module)."""
    global _goes_first
    _goes_first = goes_first


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
    extensions.set_wait_callback(wait_callback(seconds))

    @event.listens_for(engine, "handle_error")
    def _discard_silent(context):
        if isinstance(context.original_exception, DatabaseSilent):
            context.is_disconnect = True


def wait_callback(seconds):
    """psycopg2's wait: the first HOLD_SECONDS unyielding for the statements of whom
    `first_in_line` named, then the patched, green `select`; DatabaseSilent after
    `seconds` in all."""
    held_select = unyielding_select()

    def wait(conn):
        deadline = time.monotonic() + seconds
        hold = HOLD_SECONDS if _goes_first() else 0.0
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DatabaseSilent(f"no answer from the database in {seconds:g} s")
            if state == extensions.POLL_READ:
                fds = ([conn.fileno()], [], [])
            elif state == extensions.POLL_WRITE:
                fds = ([], [conn.fileno()], [])
            else:
                raise psycopg2.OperationalError(f"unexpected poll state {state}")
            if hold > 0:
                began = time.monotonic()
                ready = held_select(*fds, min(hold, remaining))
                hold -= time.monotonic() - began
                if ready[0] or ready[1]:
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    continue
            select.select(*fds, remaining)
    return wait
