"""Booking rush: 500 residents at once for 50 places.

    python bench/booking_rush.py [--postgres URL] [--residents N]

The integration office opens one day (the next working day) with 10 half-hour slots and
5 desks: 50 places. N residents (default 500) post a booking at the same moment, each for
one of the 10 times. Counts what the server answered and what the database holds
afterwards; prints JSON. Targets: exactly 50 booked, none twice, no 5xx, p99 < 300 ms.
"""
import argparse
import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import holidays
import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.booking_setup import prepare  # noqa: E402
from bench.machine import describe  # noqa: E402
from config.settings import normalise_database_url  # noqa: E402
from tests.live import LiveServer  # noqa: E402


def rush_day():
    closed = holidays.country_holidays("DE", subdiv="BW", years=[date.today().year,
                                                                 date.today().year + 1])
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def check(database_url):
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        booked = conn.execute(text("SELECT count(*) FROM appointments "
                                   "WHERE status = 'booked'")).scalar()
        fullest = conn.execute(text("SELECT max(n) FROM (SELECT count(*) AS n FROM slot_claims "
                                    "GROUP BY office_id, cell) AS cells")).scalar()
        twice = conn.execute(text("SELECT count(*) FROM (SELECT office_id, cell, lane "
                                  "FROM slot_claims GROUP BY office_id, cell, lane "
                                  "HAVING count(*) > 1) AS dup")).scalar()
    engine.dispose()
    return {"booked": booked, "most_in_one_slot": fullest, "places_held_twice": twice}


def rush(database_url, tmp, residents):
    day = rush_day()
    prepare(database_url, "integration", [{
        "weekdays": list(range(7)), "start_time": "09:00", "end_time": "14:00", "parallel": 5,
        "slot_minutes": 30, "services": ["willkommensberatung"], "valid_from": day,
        "valid_until": day}], outbox=f"{tmp}/outbox")
    server = LiveServer(database_url, tmp, RATELIMIT_BOOKING="1000000 per minute",
                        MAX_ACTIVE_BOOKINGS_PER_EMAIL="5", BOOKING_LEAD_MINUTES="0",
                        MAIL_OUTBOX=f"{tmp}/outbox").start()
    try:
        slots = requests.get(f"{server.url}/api/v1/slots?services=willkommensberatung"
                             f"&from={day}&to={day}", timeout=30).json()["slots"]
        assert len(slots) == 10, slots
        stats = load.run(server.url, "POST", "/api/v1/appointments", residents, residents,
                         body_for=lambda i: {
                             "services": ["willkommensberatung"],
                             "start": slots[i % len(slots)]["start"], "name": f"Resident {i}",
                             "email": f"resident{i}@example.org", "lang": "de",
                             "consent": True})
        return {"day": day.isoformat(), "places": 50, "requests": stats,
                "database": check(database_url)}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--residents", type=int, default=500)
    args = parser.parse_args()
    report = {"bench": "booking_rush", "machine": describe(), "residents": args.residents,
              "results": {}}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            report["results"][name] = rush(url, tmp, args.residents)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
