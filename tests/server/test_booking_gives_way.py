"""Under eventlet, SQLite's statements never hand the hub over, so a resident's booking
takes turns of its own at the steps where it holds nothing the building needs: after its
mail is composed (before the write lock: composing is ~10 ms of CPU), and after its commit.
A kiosk's ticket then waits for a piece of a booking, not for all of it
(bench/release_rush.py). Run in a process of its own, since it patches the standard
library."""
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
    import eventlet
    from flask import template_rendered
    from sqlalchemy import event
    from config import demo_centre
    from config.settings import TestConfig
    from queue_app import create_app
    from queue_app.extensions import db
    from queue_app.services import setup
    from tests.helpers import NOW

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], MAIL_OUTBOX=sys.argv[2],
                     RESIDENT_REQUESTS_AT_ONCE=2)
    with app.app_context():
        setup.init_db()
        setup.seed_demo(NOW, demo_centre)
        db.session.remove()
    log = []

    def others():                       # the rest of the process, ready all the time
        while True:
            if log[-1:] != ["turn"]:
                log.append("turn")
            eventlet.sleep(0)
    eventlet.spawn(others)
    eventlet.sleep(0)

    def rendered(_sender, template, **_extra):
        if template.name.startswith("mail/"):
            log.append("mail")
    template_rendered.connect(rendered, app)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: log.append(statement)
                     if statement.startswith("BEGIN IMMEDIATE") else None)
        event.listen(db.engine, "commit", lambda _c: log.append("COMMIT"))
    client = app.test_client()
    slot = client.get("/api/v1/slots?services=anmeldung").get_json()["slots"][0]
    log.clear()
    r = client.post("/api/v1/appointments", json={
        "services": ["anmeldung"], "start": slot["start"], "name": "Amal",
        "email": "amal@example.org", "lang": "ar", "consent": True})
    log.append("answered")
    print(r.status_code, " ".join(log))
""")


def test_a_booking_takes_turns_before_its_write_lock_and_after_its_commit(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'turns.sqlite3'}",
         str(tmp_path / "outbox")], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    status, *log = out.stdout.split()
    assert status == "201", out.stdout
    begin = log.index("BEGIN")            # BEGIN IMMEDIATE: the write lock taken
    commit = log.index("COMMIT", begin)
    # The mail was composed before the lock, with the hub handed over on the way to it.
    assert "mail" in log[:begin], log
    assert "turn" in log[log.index("mail"):begin], log
    # Nothing hands it over while the lock is held; right after the commit it is.
    assert "turn" not in log[begin:commit], log
    assert log[commit + 1] == "turn", log
