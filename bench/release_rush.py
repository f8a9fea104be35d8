"""The booking release with the building's own traffic beside it.

    python bench/release_rush.py [--postgres URL] [--residents N]

One server (eventlet) on a fresh database. A kiosk issues tickets one after another and a
clerk calls and finishes one after another, first for QUIET seconds alone, then while N
residents (default 500) arrive at once for 50 places: every resident searches the free
slots and books one (load.run, all at once), as at a 07:00 release. Prints the kiosk's
and the clerk's latency quiet and during the rush, the rush's own figures, and what the
database holds afterwards. Targets: exactly 50 booked, no 5xx, booking p99 < 1 s, kiosk
ticket p99 during the rush < 2x quiet.
"""
import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.booking_rush import check, rush_day  # noqa: E402
from bench.booking_setup import prepare  # noqa: E402
from bench.machine import describe  # noqa: E402
from queue_app.domain.stats import percentile  # noqa: E402
from tests.live import HttpApi, LiveServer  # noqa: E402

QUIET = 8
PAUSE = 0.05


def _summary(samples):
    if not samples:
        return None
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50) * 1000, 1),
            "p99_ms": round(percentile(samples, 99) * 1000, 1)}


class Building(threading.Thread):
    """A kiosk and a clerk, each one request after another, until stopped."""

    def __init__(self, url, kind):
        super().__init__(daemon=True)
        self.api, self.kind = HttpApi(url), kind
        self.samples, self.errors = [], 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            began = time.perf_counter()
            if self.kind == "kiosk":
                r = self.api.post("/tickets", {"services": ["anmeldung"], "lang": "de"},
                                  who="kiosk")
            else:
                r = self.api.post("/desks/platz-1/call-next", who="mueller")
            took = time.perf_counter() - began
            if r.status_code >= 500:
                self.errors += 1
            self.samples.append((time.monotonic(), took))
            if self.kind == "clerk" and r.status_code == 200 and r.json():
                self.api.post(f"/tickets/{r.json()['id']}/finish", who="mueller")
            time.sleep(PAUSE)


def run(database_url, tmp, residents):
    day = rush_day()
    prepare(database_url, "integration", [{
        "weekdays": list(range(7)), "start_time": "09:00", "end_time": "14:00", "parallel": 5,
        "slot_minutes": 30, "services": ["willkommensberatung"], "valid_from": day,
        "valid_until": day}], outbox=f"{tmp}/outbox")
    server = LiveServer(database_url, tmp, RATELIMIT_BOOKING="1000000 per minute",
                        RATELIMIT_SLOTS="1000000 per minute",
                        MAX_ACTIVE_BOOKINGS_PER_EMAIL="5", BOOKING_LEAD_MINUTES="0",
                        MAIL_OUTBOX=f"{tmp}/outbox").start()
    try:
        api = HttpApi(server.url)
        assert api.post("/desks/platz-1/session", {"services": ["anmeldung"]},
                        who="mueller").status_code == 200
        for _ in range(20):
            api.issue("anmeldung")
        search = f"/api/v1/slots?services=willkommensberatung&from={day}&to={day}"
        slots = requests.get(server.url + search, timeout=30).json()["slots"]
        assert len(slots) == 10, slots
        building = [Building(server.url, "kiosk"), Building(server.url, "clerk")]
        for b in building:
            b.start()
        time.sleep(QUIET)
        rush_began = time.monotonic()
        found = {}

        def searching():
            found["searches"] = load.run(server.url, "GET", search, residents, residents // 2)

        searcher = threading.Thread(target=searching)
        searcher.start()
        bookings = load.run(server.url, "POST", "/api/v1/appointments", residents,
                            residents // 2, body_for=lambda i: {
                                "services": ["willkommensberatung"],
                                "start": slots[i % len(slots)]["start"],
                                "name": f"Resident {i}", "email": f"resident{i}@example.org",
                                "lang": "de", "consent": True})
        searcher.join()
        rush_ended = time.monotonic()
        for b in building:
            b.stop.set()
        for b in building:
            b.join(30)
        result = {"day": day.isoformat(), "places": 50, "rush_seconds":
                  round(rush_ended - rush_began, 2), "bookings": bookings,
                  "searches": found["searches"], "database": check(database_url)}
        for b in building:
            quiet = [t for at, t in b.samples if at < rush_began]
            during = [t for at, t in b.samples if rush_began <= at <= rush_ended]
            q, d = _summary(quiet), _summary(during)
            result[b.kind] = {"quiet": q, "during_rush": d, "errors_5xx": b.errors,
                              "p99_ratio": round(d["p99_ms"] / q["p99_ms"], 2)
                              if q and d else None}
        return result
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--residents", type=int, default=500)
    args = parser.parse_args()
    report = {"bench": "release_rush", "machine": describe(), "residents": args.residents,
              "results": {}}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            report["results"][name] = run(url, tmp, args.residents)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
