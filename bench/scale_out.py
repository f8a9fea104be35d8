"""32 clients, 2,000 tickets, all for one service: one server process, then two behind
round robin (sharing the database and a Redis message queue), on both databases.

    python bench/scale_out.py [--postgres URL] [--redis URL] [--requests N] [--rounds N]

Each configuration runs on a fresh database; the load tool runs on the same machine.
Beside throughput and latency: the CPU per ticket of the servers and of PostgreSQL, and
how many of the machine's cores were busy during the run (Linux /proc).
With --rounds N the configurations take turns N times (round 1 of each, then round 2 of
each, ...), so a noisy minute on a shared machine falls on all of them alike; each one's
median is reported beside its rounds. Prints JSON.
"""
import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.helpers import KIOSK_TOKEN  # noqa: E402
from tests.live import LiveServer  # noqa: E402

SERVICE = "anmeldung"


def measure(servers, total, concurrency):
    auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    urls = [s.url for s in servers]
    load.run(urls, "GET", "/api/v1/health", 100, concurrency)      # warm up
    with load.cpu_meter([s.process.pid for s in servers]) as seen:
        result = load.run(urls, "POST", "/api/v1/tickets", total, concurrency, headers=auth,
                          body={"services": [SERVICE], "lang": "en"})
    return {**result, **load.per_request(seen, total)}


def run_config(args, processes, code):
    """Yields (database, result) for one round of `processes` servers on each database,
    the servers run from the checkout `code` (None: this one)."""
    where = {"cwd": code, "PYTHONPATH": code} if code else {}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            env = {}
            if processes > 1:
                env = {"SOCKETIO_MESSAGE_QUEUE": args.redis,
                       "SOCKETIO_CHANNEL": f"bench-{secrets.token_hex(4)}"}
            servers = []
            try:
                for n in range(processes):
                    # One process runs the scheduler, as in a real scale-out.
                    servers.append(LiveServer(url, tmp, RUN_SCHEDULER="1" if n == 0
                                              else "0", **where, **env).start())
                result = measure(servers, args.requests, args.concurrency)
            finally:
                for server in servers:
                    server.stop()
            yield name, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--code", action="append", default=[],
                        help="run the servers from this checkout (repeat for several: "
                             "before/after in interleaved rounds); default this one")
    args = parser.parse_args()
    report = {"bench": "scale_out", "machine": describe(), "requests": args.requests,
              "concurrency": args.concurrency, "service": SERVICE, "rounds": args.rounds,
              "results": {}}
    rounds = {}
    for _ in range(args.rounds):
        for code in args.code or [None]:
            for processes in [int(p) for p in args.processes.split(",")]:
                label = f" [{code}]" if args.code else ""
                for name, result in run_config(args, processes, code):
                    rounds.setdefault(f"{name}, {processes} process(es){label}",
                                      []).append(result)
    for config, results in rounds.items():
        report["results"][config] = {"median": load.median_round(results), "each": results}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
