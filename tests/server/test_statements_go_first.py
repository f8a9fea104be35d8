"""Under eventlet a kiosk's PostgreSQL statement waits for its answer with the hub held
(for at most db_timeouts.HOLD_SECONDS), instead of waiting behind every other request
ready meanwhile; any other statement hands the hub over as before (the wait's time-out
for a silent database is tests/server/test_database_faults.py's). Run in a process of its
own, since it patches the standard library."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    from queue_app import async_mode
    async_mode.patch("eventlet")
    import eventlet, psycopg2
    from psycopg2 import extensions
    from queue_app import db_timeouts
    first = {"now": False}
    db_timeouts.first_in_line(lambda: first["now"])
    extensions.set_wait_callback(db_timeouts.wait_callback(5))
    turns = [0]
    def others():                       # the rest of the process, ready all the time
        while True:
            turns[0] += 1
            eventlet.sleep(0)
    eventlet.spawn(others)
    eventlet.sleep(0)
    conn = psycopg2.connect(sys.argv[1])
    cur = conn.cursor()
    seen = {}
    for goes_first in (False, True):
        first["now"] = goes_first
        before = turns[0]
        for _ in range(20):
            cur.execute("SELECT 1")
            cur.fetchall()
        seen[goes_first] = turns[0] - before
    # A slow statement still hands the hub over once the hold is spent.
    first["now"] = True
    before = turns[0]
    cur.execute("SELECT pg_sleep(0.2)")
    print(seen[False], seen[True], turns[0] - before)
""")


def test_a_kiosk_statement_keeps_the_hub_and_a_slow_one_hands_it_over(postgres_url):
    out = subprocess.run([sys.executable, "-c", SCRIPT, postgres_url], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    handed_over, held, slow = map(int, out.stdout.split())
    assert handed_over >= 20          # every statement let the others run
    assert held == 0                  # none of the kiosk's did
    assert slow > 100                 # a 0.2 s statement did, after its hold


def _app():
    from config.settings import TestConfig
    from queue_app import create_app

    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                      RESIDENT_REQUESTS_AT_ONCE=2)


def test_the_views_someone_stands_waiting_for_go_first():
    app = _app()
    assert {name for name, view in app.view_functions.items()
            if getattr(view, "in_person", False)} == {
        "api.issue_ticket", "api.check_in_route", "kiosk.take_ticket", "kiosk.check_in",
        "api.call_next", "web.desk_call_next"}


def test_they_go_first_only_while_residents_are_let_in():
    # Without residents, holding the hub would only keep 32 kiosks from overlapping their
    # waits (a third fewer tickets per second, bench/scale_out.py).
    from queue_app.admission import _someone_waiting

    app = _app()
    gate = app.extensions["admission"]
    with app.test_request_context("/api/v1/tickets", method="POST"):
        assert not _someone_waiting()
        given_at = gate.enter()
        try:
            assert _someone_waiting()
        finally:
            gate.leave(given_at)
        assert not _someone_waiting()
    given_at = gate.enter()
    try:
        with app.test_request_context("/api/v1/tickets/abc/finish", method="POST") as ctx:
            assert ctx.request.endpoint == "api.ticket_action"
            assert not _someone_waiting()        # not a view anyone stands waiting for
    finally:
        gate.leave(given_at)


def test_they_skip_their_first_turn_only_while_residents_are_let_in():
    # building_first takes the server's turn-taking as a parameter; here it records who
    # took a turn of the hub before the app saw the request.
    from werkzeug.test import Client

    from queue_app.admission import building_first

    app = _app()
    gate = app.extensions["admission"]
    took_turn = []

    def take_turns(inner):
        def in_turn(environ, start_response):
            took_turn.append(environ["PATH_INFO"])
            return inner(environ, start_response)
        return in_turn

    client = Client(building_first(app, app.wsgi_app, take_turns))
    client.post("/api/v1/tickets", json={})
    assert took_turn == ["/api/v1/tickets"]           # no residents: in turn, like all
    given_at = gate.enter()
    try:
        took_turn.clear()
        client.post("/api/v1/tickets", json={})
        client.post("/api/v1/tickets/abc/finish", json={})
        assert took_turn == ["/api/v1/tickets/abc/finish"]
    finally:
        gate.leave(given_at)
