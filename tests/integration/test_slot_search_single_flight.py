"""A rush of identical slot searches computes the calendar once per version, not once per
request: the others wait for the first one's answer."""
import threading
import time

from sqlalchemy import event

from queue_app.extensions import db
from queue_app.services.availability import _SearchCache


def test_concurrent_misses_of_one_key_compute_once():
    cache, calls, answers = _SearchCache(), [], []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return ["slot"]

    def ask():
        answers.append(cache.get_or_compute("key", compute))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(calls) == 1 and answers == [["slot"]] * 20


def test_a_failed_leader_lets_the_waiters_compute():
    cache, calls = _SearchCache(), []
    started = threading.Event()

    def failing():
        started.set()
        time.sleep(0.1)
        raise RuntimeError("database went away")

    def ok():
        calls.append(1)
        return ["slot"]

    results = []

    def leader():
        try:
            cache.get_or_compute("k", failing)
        except RuntimeError:
            results.append("failed")

    first = threading.Thread(target=leader)
    first.start()
    started.wait(5)
    assert cache.get_or_compute("k", ok) == ["slot"]
    first.join(5)
    assert results == ["failed"] and calls == [1]


def test_a_rush_of_slot_searches_reads_the_calendar_once(app, api):
    """Through the app: 12 residents at once ask for the same office's slots."""
    api.get("/slots?services=anmeldung")            # warm the catalogue, not the search
    app.extensions["slot_searches"].entries.clear()
    reads = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if "slot_claims" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        statuses = []

        def resident():
            statuses.append(app.test_client().get(
                "/api/v1/slots?services=anmeldung").status_code)

        threads = [threading.Thread(target=resident) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statuses == [200] * 12
    assert len(reads) == 1
