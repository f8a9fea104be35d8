"""Ticket and call-next latency against the length of one service's queue.

    python bench/queue_growth.py [--postgres URL] [--sizes 10,250,1000,2000]

One server (`python -m queue_app`, eventlet) on a fresh database; every ticket is for one
service, so its queue grows as on a busy morning. At each size: 50 tickets issued one
after another (kiosk), then 30 calls one after another (a clerk at one desk calls and
finishes; only the call is timed). Prints JSON.
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402
from queue_app.domain.stats import percentile  # noqa: E402
from tests.helpers import KIOSK_TOKEN  # noqa: E402
from tests.live import HttpApi, LiveServer  # noqa: E402

SERVICE = "anmeldung"
TICKETS, CALLS = 50, 30


def _summary(latencies):
    return {"n": len(latencies),
            "p50_ms": round(percentile(latencies, 50) * 1000, 2),
            "p95_ms": round(percentile(latencies, 95) * 1000, 2),
            "max_ms": round(max(latencies) * 1000, 2)}


def _fill(server, waiting, target):
    """Issue tickets (4 at a time) until `target` wait; returns the new count."""
    missing = target - waiting
    if missing > 0:
        auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
        r = load.run(server.url, "POST", "/api/v1/tickets", missing, 4, headers=auth,
                     body={"services": [SERVICE], "lang": "en"})
        assert r["statuses"] == {"201": missing}, r["statuses"]
    return max(waiting, target)


def measure(server, sizes):
    api = HttpApi(server.url)
    r = api.post("/desks/platz-1/session", {"services": [SERVICE]}, who="mueller")
    assert r.status_code == 200, r.text
    waiting, results = 0, {}
    for size in sizes:
        waiting = _fill(server, waiting, size)
        time.sleep(1)   # let the fill's background work settle
        tickets = []
        for _ in range(TICKETS):
            began = time.perf_counter()
            r = api.post("/tickets", {"services": [SERVICE], "lang": "en"}, who="kiosk")
            tickets.append(time.perf_counter() - began)
            assert r.status_code == 201, r.text
        calls = []
        for _ in range(CALLS):
            began = time.perf_counter()
            r = api.post("/desks/platz-1/call-next", who="mueller")
            calls.append(time.perf_counter() - began)
            assert r.status_code == 200, r.text
            done = api.post(f"/tickets/{r.json()['id']}/finish", who="mueller")
            assert done.status_code == 200, done.text
        waiting += TICKETS - CALLS
        results[str(size)] = {"ticket": _summary(tickets), "call_next": _summary(calls)}
    first, last = results[str(sizes[0])], results[str(sizes[-1])]
    results["ratio_largest_to_smallest_p50"] = {
        k: round(last[k]["p50_ms"] / first[k]["p50_ms"], 2) for k in ("ticket", "call_next")}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--sizes", default="10,250,1000,2000")
    parser.add_argument("--async-mode", default="eventlet")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    report = {"bench": "queue_growth", "machine": describe(), "async_mode": args.async_mode,
              "service": SERVICE, "results": {}}
    with tempfile.TemporaryDirectory() as tmp, load.databases(tmp, args.postgres) as urls:
        for name, url in urls.items():
            server = LiveServer(url, tmp, async_mode=args.async_mode).start()
            try:
                report["results"][name] = measure(server, sizes)
            finally:
                server.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
