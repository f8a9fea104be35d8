"""Two server processes, both started with the scheduler on (the default), on one database:
every reminder goes out once (issue 9, finding 11). On PostgreSQL one of them holds the
leader lock and runs the jobs; on SQLite both run them, and the conditional UPDATE alone
keeps each reminder to one mail. Mails through a real SMTP server on loopback. Both clocks
stand on a Tuesday (FIXED_NOW), so the demo centre has appointments tomorrow whatever day
the test runs."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from tests.integration.test_booking_mail import Inbox
from tests.live import HttpApi, free_port

REMINDER = "Reminder: your appointment"
TUESDAY = datetime(2031, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def _book_tomorrow(http, count):
    tomorrow = (TUESDAY + timedelta(days=1)).date()     # demo hours: 08:00–12:00
    r = http.get(f"/slots?services=anmeldung&from={tomorrow}&to={tomorrow}")
    slots = r.json()["slots"]
    assert len(slots) >= count, r.text
    codes = []
    for n, slot in enumerate(slots[:count]):
        r = http.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                        "name": f"Resident {n}", "lang": "en", "consent": True,
                                        "email": f"resident{n}@example.org"})
        assert r.status_code == 201, r.text
        codes.append(r.json()["code"])
    return codes


def test_each_reminder_is_sent_once_by_two_schedulers(server_db, start_server, inbox):
    env = {"RUN_SCHEDULER": "1", "SMTP_URL": inbox.url, "REMINDER_SCHEDULE": "second=*/2",
           "RATELIMIT_BOOKING": "100 per minute", "FIXED_NOW": TUESDAY.isoformat()}
    first = start_server(server_db, **env)
    second = start_server(server_db, **env)
    codes = _book_tomorrow(HttpApi(first.url), 4)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        reminders = [m for m in inbox.messages if m["Subject"].startswith(REMINDER)]
        if len(reminders) >= len(codes):
            break
        time.sleep(0.5)
    time.sleep(5)   # both schedulers run several more times meanwhile
    reminders = sorted(m["Subject"] for m in inbox.messages if m["Subject"].startswith(REMINDER))
    assert len(reminders) == len(codes), reminders
    assert all(any(c in s for s in reminders) for c in codes)
    leaders = [s for s in (first, second) if "runs the scheduled jobs" in s.log()]
    assert len(leaders) == (0 if server_db.startswith("sqlite") else 1), (
        first.log(), second.log())
