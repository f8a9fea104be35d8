"""Slot search over a 60-day horizon, 1 and 3 services, an office with 30 desks.

    python bench/slots.py [--postgres URL] [--requests N]

The registration office gets 30 desks for appointments, Monday to Friday 08:00–18:00 on a
10-minute grid, with 3,000 appointments already spread over the horizon. Measures GET
/api/v1/slots over HTTP (one client, so each figure is one request's latency) on SQLite and,
with --postgres, PostgreSQL: "cold" with the search cache off (every search computed, as
right after a booking), "warm" with it on. Prints JSON; target p95 < 30 ms.
"""
import argparse
import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.booking_setup import prepare  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.live import LiveServer  # noqa: E402

RULES = [{"weekdays": [0, 1, 2, 3, 4], "start_time": "08:00", "end_time": "18:00",
          "parallel": 30, "slot_minutes": 10,
          "services": ["anmeldung", "personalausweis", "reisepass", "meldebescheinigung"]}]
SEARCHES = {"1_service": "anmeldung", "3_services": "anmeldung,personalausweis,reisepass"}


def measure(server, requests):
    today = date.today()
    horizon = f"&from={today.isoformat()}&to={(today + timedelta(days=60)).isoformat()}"
    results = {}
    for name, services in SEARCHES.items():
        path = f"/api/v1/slots?services={services}{horizon}"
        load.run(server.url, "GET", path, 20, 1)           # warm up
        results[name] = load.run(server.url, "GET", path, requests, 1)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    report = {"bench": "slots", "machine": describe(), "desks": 30, "horizon_days": 60,
              "booked_before": 3000, "results": {}}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            prepare(url, "buergerbuero", RULES, bookings=3000, outbox=f"{tmp}/outbox")
            report["results"][name] = {}
            for mode, cache in (("cold", "0"), ("warm", "256")):
                server = LiveServer(url, tmp, RATELIMIT_SLOTS="1000000 per minute",
                                    BOOKING_RELEASE_AT="", SLOT_SEARCH_CACHE_SIZE=cache).start()
                try:
                    report["results"][name][mode] = measure(server, args.requests)
                finally:
                    server.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
