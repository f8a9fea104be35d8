"""The booking release with the building's own traffic beside it.

    python bench/release_rush.py [--postgres URL] [--residents N] [--rounds R]
                                 [--gate on,off] [--processes 1,2,split] [--redis URL]
                                 [--code CHECKOUT --code CHECKOUT]

A server (eventlet) on a fresh database for every run. A kiosk issues tickets one after
another and a clerk calls and finishes one after another, first for QUIET seconds alone,
then while N residents (default 500) arrive in the same instant for 50 places: each
resident searches the free slots, then books one, and like a real client honours a 429's
Retry-After (sleeps that long, asks again) until it has a final answer (201, 409, or
anything else, which is counted as a failure). The kiosk and the clerk run in a process
of their own, as they do in the building: in the residents' process they would measure
the load tool's own lock (500 threads) rather than the server.

Rounds repeat and interleave the databases and variants (`--gate off` runs the same
server with RESIDENT_REQUESTS_AT_ONCE=0, the way before admission control), since the
shared machine is noisy; the report gives every round and the median of each figure.
Two processes (`--processes 2`) share one database and a Redis message queue, residents
and building split round robin, as behind a plain load balancer; `--processes split` runs
the same two processes but routes by path, as a proxy would (residents' booking and search
to one, kiosks and desks to the other), so the building no longer shares an event loop
with the rush, only the cores and the database.

Targets: exactly 50 booked, no 5xx, booking p99 < 1 s, kiosk ticket p99 (and the
clerk's call-next p99) during the rush < 2x quiet.
"""
import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.booking_rush import check, rush_day  # noqa: E402
from bench.booking_setup import prepare  # noqa: E402
from bench.machine import describe  # noqa: E402
from queue_app.domain.stats import percentile  # noqa: E402
from tests.live import HttpApi, LiveServer  # noqa: E402

QUIET = 8
PAUSE = 0.05
PLACES = 50
SERVICE = "willkommensberatung"


def _summary(samples):
    if not samples:
        return None
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50) * 1000, 1),
            "p99_ms": round(percentile(samples, 99) * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1)}


def _building(url, kind, stop, out):
    """A kiosk or a clerk, one request after another until `stop`; (moment, seconds,
    status) of each to `out`. Runs in a process of its own."""
    api, samples = HttpApi(url), []
    # The clerk's token first: its login (a password hash, ~0.1 s) is not a call.
    api.auth("kiosk" if kind == "kiosk" else "mueller")
    while not stop.is_set():
        began = time.perf_counter()
        if kind == "kiosk":
            r = api.post("/tickets", {"services": ["anmeldung"], "lang": "de"}, who="kiosk")
        else:
            r = api.post("/desks/platz-1/call-next", who="mueller")
        samples.append((time.monotonic(), time.perf_counter() - began, r.status_code))
        if kind == "clerk" and r.status_code == 200 and r.json():
            api.post(f"/tickets/{r.json()['id']}/finish", who="mueller")
        time.sleep(PAUSE)
    out.put((kind, samples))


class Resident(threading.Thread):
    """Searches, then books one place; after a 429 waits Retry-After and asks again."""

    def __init__(self, n, url, search, start, go):
        super().__init__(daemon=True)
        self.n, self.parts, self.search, self.start_at, self.go = n, urlsplit(url), search, \
            start, go
        self.requests = []        # (kind, seconds, status)
        self.final = None         # (status of the booking, seconds from the rush's start)

    def _ask(self, conn, kind, method, path, body=None):
        while True:
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body,
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status, wait = response.status, response.getheader("Retry-After")
            except OSError as exc:
                status, wait = f"error: {type(exc).__name__}", None
                conn.close()
            self.requests.append((kind, time.perf_counter() - began, status))
            if status != 429:
                return status
            time.sleep(int(wait or 1))

    def run(self):
        conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=60)
        self.go.wait()
        began = time.monotonic()
        self._ask(conn, "search", "GET", self.search)
        status = self._ask(conn, "booking", "POST", "/api/v1/appointments", json.dumps({
            "services": [SERVICE], "start": self.start_at, "name": f"Resident {self.n}",
            "email": f"resident{self.n}@example.org", "lang": "de", "consent": True}))
        self.final = (status, time.monotonic() - began)
        conn.close()


def _statuses(rows):
    counts = {}
    for _, _, status in rows:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return dict(sorted(counts.items()))


def run(database_url, tmp, residents, gate, layout, redis, logs=None, code=None):
    processes = 1 if layout == "1" else 2
    day = rush_day()
    prepare(database_url, "integration", [{
        "weekdays": list(range(7)), "start_time": "09:00", "end_time": "14:00", "parallel": 5,
        "slot_minutes": 30, "services": [SERVICE], "valid_from": day,
        "valid_until": day}], outbox=f"{tmp}/outbox")
    env = dict(RATELIMIT_BOOKING="1000000 per minute", RATELIMIT_SLOTS="1000000 per minute",
               MAX_ACTIVE_BOOKINGS_PER_EMAIL="5", BOOKING_LEAD_MINUTES="0",
               MAIL_OUTBOX=f"{tmp}/outbox", REQUEST_LOG="1" if logs else "0")
    if gate == "off":
        env["RESIDENT_REQUESTS_AT_ONCE"] = "0"
    elif gate != "on":
        env["RESIDENT_REQUESTS_AT_ONCE"] = gate     # a bound other than the default
    if processes > 1:
        env.update(SOCKETIO_MESSAGE_QUEUE=redis, SOCKETIO_CHANNEL=f"rush-{secrets.token_hex(4)}")
    where = {"cwd": code, "PYTHONPATH": code} if code else {}
    servers = []
    try:
        for n in range(processes):
            servers.append(LiveServer(database_url, tmp, RUN_SCHEDULER="1" if n == 0 else "0",
                                      **env, **where).start())
        urls = [s.url for s in servers]
        # Round robin over all, or by path: residents to the first, the building the second.
        resident_urls, building_urls = (urls[:1], urls[1:]) if layout == "split" else (
            urls, urls)
        api = HttpApi(urls[0])
        assert api.post("/desks/platz-1/session", {"services": ["anmeldung"]},
                        who="mueller").status_code == 200
        for _ in range(20):
            api.issue("anmeldung")
        search = f"/api/v1/slots?services={SERVICE}&from={day}&to={day}"
        slots = requests.get(urls[0] + search, timeout=30).json()["slots"]
        assert len(slots) == PLACES // 5, slots

        spawn = multiprocessing.get_context("spawn")
        stop, out = spawn.Event(), spawn.Queue()
        building = [spawn.Process(target=_building, daemon=True, args=(
            building_urls[i % len(building_urls)], kind, stop, out))
            for i, kind in enumerate(("kiosk", "clerk"))]
        for p in building:
            p.start()
        go = threading.Event()
        crowd = [Resident(i, resident_urls[i % len(resident_urls)], search,
                          slots[i % len(slots)]["start"], go) for i in range(residents)]
        for r in crowd:
            r.start()
        time.sleep(QUIET)
        rush_began = time.monotonic()
        go.set()
        for r in crowd:
            r.join(300)
        rush_ended = time.monotonic()
        stop.set()
        samples = dict(out.get(timeout=60) for _ in building)
        for p in building:
            p.join(30)

        asked = [row for r in crowd for row in r.requests]
        finals = [r.final for r in crowd if r.final]
        answered = [took for _, took in finals]
        result = {
            "gate": gate, "processes": layout, "places": PLACES,
            "rush_seconds": round(rush_ended - rush_began, 2),
            "booking": {**_summary([t for kind, t, _ in asked if kind == "booking"]),
                        "statuses": _statuses([row for row in asked if row[0] == "booking"]),
                        # The places' winners do the most work: their tail is the p99.
                        "by_status": {str(status): _summary(
                            [t for kind, t, s in asked if kind == "booking" and s == status])
                            for status in sorted({s for kind, _, s in asked
                                                  if kind == "booking"}, key=str)}},
            "search": {**_summary([t for kind, t, _ in asked if kind == "search"]),
                       "statuses": _statuses([row for row in asked if row[0] == "search"])},
            "final_answers": {str(s): sum(1 for f, _ in finals if f == s)
                              for s in sorted({f for f, _ in finals}, key=str)},
            "residents_without_answer": residents - len(finals),
            "until_final_answer": {
                "p50_s": round(percentile(answered, 50), 2),
                "p99_s": round(percentile(answered, 99), 2),
                "all_answered_s": round(max(answered), 2)},
            "database": check(database_url),
        }
        result["exactly_50_booked"] = (result["database"]["booked"] == PLACES
                                       and result["final_answers"].get("201") == PLACES
                                       and result["database"]["places_held_twice"] == 0)
        result["errors_5xx"] = sum(1 for _, _, s in asked if isinstance(s, int) and s >= 500)
        for kind, rows in samples.items():
            quiet = [t for at, t, _ in rows if at < rush_began]
            during = [t for at, t, _ in rows if rush_began <= at <= rush_ended]
            q, d = _summary(quiet), _summary(during)
            # Where in the rush the slowest were: its first second's arrivals, or all along.
            slowest = sorted(((t, at - rush_began) for at, t, _ in rows
                              if rush_began <= at <= rush_ended), reverse=True)[:5]
            result[kind] = {"quiet": q, "during_rush": d,
                            "slowest_in_rush": [{"ms": round(t * 1000, 1),
                                                 "after_s": round(after, 2)}
                                                for t, after in slowest],
                            "errors_5xx": sum(1 for _, _, s in rows if s >= 500),
                            "p99_ratio": round(d["p99_ms"] / q["p99_ms"], 2)
                            if q and d else None}
        return result
    finally:
        for server in servers:
            server.stop()
            if logs:
                Path(logs).mkdir(parents=True, exist_ok=True)
                Path(logs, f"{time.strftime('%H%M%S')}-{gate}-{server.port}.log").write_bytes(
                    server.log_path.read_bytes())


def _fresh(name, tmp, postgres, n):
    if name == "sqlite":
        return f"sqlite:///{tmp}/rush-{n}.sqlite3", None
    from tests.services import create_database
    return create_database(postgres)


FIGURES = {
    "booking p50 ms": ("booking", "p50_ms"), "booking p99 ms": ("booking", "p99_ms"),
    "search p50 ms": ("search", "p50_ms"), "search p99 ms": ("search", "p99_ms"),
    "all answered s": ("until_final_answer", "all_answered_s"),
    "final answer p99 s": ("until_final_answer", "p99_s"),
    "kiosk quiet p99 ms": ("kiosk", "quiet", "p99_ms"),
    "kiosk rush p99 ms": ("kiosk", "during_rush", "p99_ms"),
    "kiosk p99 ratio": ("kiosk", "p99_ratio"),
    "clerk quiet p99 ms": ("clerk", "quiet", "p99_ms"),
    "clerk rush p99 ms": ("clerk", "during_rush", "p99_ms"),
    "clerk p99 ratio": ("clerk", "p99_ratio"),
}


def _dig(result, path):
    for key in path:
        result = (result or {}).get(key)
    return result


def medians(rounds):
    out = {}
    for label, path in FIGURES.items():
        values = [v for v in (_dig(r, path) for r in rounds) if v is not None]
        out[label] = round(statistics.median(values), 2) if values else None
    out["rounds"] = len(rounds)
    out["every round exactly 50 booked"] = all(r["exactly_50_booked"] for r in rounds)
    out["5xx in all rounds"] = sum(r["errors_5xx"] + r["kiosk"]["errors_5xx"]
                                   + r["clerk"]["errors_5xx"] for r in rounds)
    out["429 per round"] = [r["booking"]["statuses"].get("429", 0)
                            + r["search"]["statuses"].get("429", 0) for r in rounds]
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL"))
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--gate", default="on", help="on (the default bound), off, or a "
                        "bound; several with commas are interleaved")
    parser.add_argument("--processes", default="1", help="1, 2, split, or several with commas")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--keep-logs", help="a folder for the servers' request logs")
    parser.add_argument("--code", action="append", default=[],
                        help="run the servers from this checkout (repeat for several: "
                             "before/after in interleaved rounds); default this one")
    args = parser.parse_args()
    variants = [(name, gate, p, code) for p in args.processes.split(",")
                for name in args.databases.split(",")
                if name == "sqlite" or args.postgres
                for gate in args.gate.split(",")
                for code in args.code or [None]]
    report = {"bench": "release_rush", "machine": describe(), "residents": args.residents,
              "quiet_seconds": QUIET, "rounds": {}, "medians": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            for name, gate, processes, code in variants:
                label = f"{name}, gate {gate}, {processes} process(es)" + (
                    f" [{code}]" if code else "")
                url, drop = _fresh(name, tmp, args.postgres,
                                   f"{n}-{gate}-{processes}-{secrets.token_hex(3)}")
                try:
                    result = run(url, tmp, args.residents, gate, processes, args.redis,
                                 args.keep_logs, code)
                finally:
                    if drop:
                        drop()
                report["rounds"].setdefault(label, []).append(result)
                print(f"round {n + 1} {label}: " + json.dumps(
                    medians([result])), file=sys.stderr, flush=True)
    report["medians"] = {label: medians(rounds) for label, rounds in report["rounds"].items()}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
