"""PostgreSQL: a request's reads open no transaction (each BEGIN and COMMIT was a round
trip), a kiosk ticket costs a handful of statements, and writes outside
write_transaction still commit or roll back as one."""
import pytest
from psycopg2 import extensions
from sqlalchemy import event, select

from queue_app.database import write_transaction
from queue_app.extensions import db
from queue_app.models import Setting


@pytest.fixture
def database_url(postgres_url):
    return postgres_url


@pytest.fixture
def statements(app):
    """Each statement the app sends, with whether a transaction was open after it."""
    seen = []

    def after(conn, _cursor, statement, _params, _context, _many):
        status = conn.connection.dbapi_connection.get_transaction_status()
        seen.append((statement.split(None, 1)[0].upper(),
                     status != extensions.TRANSACTION_STATUS_IDLE))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after)
    yield seen
    event.remove(engine, "after_cursor_execute", after)


def test_a_ticket_reads_outside_transactions_and_writes_once(app, api, statements):
    # As a server runs (the test config turns these caches off).
    app.config.update(AUTH_CACHE_SECONDS=5, STATS_CACHE_SECONDS=10)
    api.issue("anmeldung")           # the process's caches filled
    statements.clear()
    api.issue("anmeldung")
    kinds = [kind for kind, _ in statements]
    # The state versions, the catalogue, the position, the ticket: one statement each;
    # after the commit, the boards' waiting counts (sent at once in the test config).
    assert kinds[:4] == ["SELECT", "SELECT", "SELECT", "WITH"], statements
    assert set(kinds[4:]) <= {"SELECT"} and len(kinds) <= 5, statements
    assert not any(open_ for _, open_ in statements), statements


def test_a_write_outside_write_transaction_is_still_one_transaction(app_ctx):
    db.session.execute(select(Setting.key)).all()        # a read: autocommit
    db.session.add(Setting(key="CENTRE_NAME", value={"value": "Nie gespeichert"}))
    db.session.flush()
    assert (db.session.connection().connection.dbapi_connection.get_transaction_status()
            == extensions.TRANSACTION_STATUS_INTRANS)
    db.session.rollback()
    assert db.session.scalar(select(Setting).where(Setting.key == "CENTRE_NAME")) is None


def test_write_transaction_rolls_back_all_its_statements(app_ctx):
    with pytest.raises(RuntimeError):
        with write_transaction():
            db.session.add(Setting(key="CENTRE_NAME", value={"value": "Halb"}))
            db.session.flush()
            db.session.add(Setting(key="RETENTION_DAYS", value={"value": 30}))
            db.session.flush()
            raise RuntimeError("after two writes")
    assert db.session.scalars(select(Setting.key)).all() == []


def test_a_call_and_a_finish_leave_the_next_ticket_its_four_statements(app, api, statements):
    # A clerk's call and finish reload the estimate inputs in their own after-commit work;
    # they once dropped them, and the next kiosk ticket paid two more queries (and two
    # more waits behind the rest of the process) to load them again.
    app.config.update(AUTH_CACHE_SECONDS=5, STATS_CACHE_SECONDS=10)
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.issue("anmeldung")           # nobody behind it: no queue's views reload them either
    called = api.call_next("platz-1", "mueller").get_json()
    api.act(called["id"], "finish", "mueller")
    statements.clear()
    api.issue("anmeldung")
    assert [kind for kind, _ in statements][:4] == ["SELECT", "SELECT", "SELECT", "WITH"], \
        statements
