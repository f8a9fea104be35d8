"""Tickets issued per second over HTTP, beside a trivial JSON endpoint of the same server.

    python bench/tickets.py [--postgres URL] [--requests N] [--rounds N]

Starts `python -m queue_app` (eventlet, one process) on a fresh SQLite database, and on a
fresh PostgreSQL database when --postgres (or TEST_POSTGRES_URL) names a server. With
--rounds N the databases take turns N times, each round on fresh databases, and the median
of each figure is reported beside the rounds. Prints JSON.
"""
import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.helpers import KIOSK_TOKEN  # noqa: E402
from tests.live import LiveServer  # noqa: E402

WALK_IN = ["anmeldung", "personalausweis", "reisepass", "meldebescheinigung", "eat-abholung",
           "kfz-zulassung", "kfz-abmeldung", "halterwechsel", "willkommensberatung"]


def measure(server, requests_at):
    auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    results = {}
    for concurrency, total in requests_at.items():
        # Warm up connections and caches, then measure.
        load.run(server.url, "GET", "/api/v1/health", 50, concurrency)
        health = load.run(server.url, "GET", "/api/v1/health", total, concurrency)
        tickets = load.run(
            server.url, "POST", "/api/v1/tickets", total, concurrency, headers=auth,
            body_for=lambda i: {"services": [WALK_IN[i % len(WALK_IN)]], "lang": "en"})
        results[f"c{concurrency}"] = {
            "tickets": tickets, "health": health,
            "throughput_ratio_tickets_to_health": round(
                tickets["per_second"] / health["per_second"], 3)}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--async-mode", default="eventlet")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    plan = {1: max(200, args.requests // 4), 32: args.requests}
    report = {"bench": "tickets", "machine": describe(), "async_mode": args.async_mode,
              "rounds": args.rounds, "results": {}}
    rounds = {}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
            for name, url in urls.items():
                server = LiveServer(url, tmp, async_mode=args.async_mode).start()
                try:
                    rounds.setdefault(name, []).append(measure(server, plan))
                finally:
                    server.stop()
    for name, results in rounds.items():
        report["results"][name] = {
            level: {"tickets": load.median_round([r[level]["tickets"] for r in results]),
                    "health": load.median_round([r[level]["health"] for r in results])}
            for level in results[0]}
        report["results"][name]["each"] = results
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
