"""Residents racing for the same places on a real server: capacity holds exactly."""
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import create_engine, text

from config.settings import normalise_database_url
from tests.helpers import morning_slot

RACERS = 40


def test_forty_residents_three_places(server_db, start_server):
    live = start_server(server_db, RATELIMIT_BOOKING="10000 per minute")
    slot = morning_slot(requests.get(f"{live.url}/api/v1/slots?services=anmeldung",
                                     timeout=10).json()["slots"])

    def book(n):
        # As a real client: a 429 from the residents' admission gate means "again after
        # Retry-After" (nothing was changed); the final answer is a booking or a 409.
        while True:
            r = requests.post(f"{live.url}/api/v1/appointments", timeout=60, json={
                "services": ["anmeldung"], "start": slot["start"], "name": f"Racer {n}",
                "email": f"racer{n}@example.org", "lang": "de", "consent": True})
            if r.status_code != 429:
                return r
            assert r.json()["error"]["code"] == "busy"
            time.sleep(int(r.headers["Retry-After"]))

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(book, range(RACERS)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(201) == 3                 # the registration office: 3 in parallel
    assert statuses.count(409) == RACERS - 3, statuses
    assert all(r.json()["error"]["next_slots"] for r in answers if r.status_code == 409)

    engine = create_engine(normalise_database_url(server_db))
    with engine.connect() as conn:
        places = conn.execute(text(
            "SELECT cell, count(*) FROM slot_claims GROUP BY cell")).all()
        booked = conn.execute(text("SELECT count(*) FROM appointments")).scalar()
    engine.dispose()
    assert booked == 3
    assert sorted(n for _, n in places) == [3, 3]   # two 10-minute cells, three places each
    assert "Traceback" not in live.log()
