"""Kiosk tickets and the health check while clients guess passwords (issue 9, finding 1).

    python bench/login_storm.py [--guessers 8] [--requests 300] [--async-mode eventlet]

Starts `python -m queue_app` (one process, SQLite) twice: with the login limits as shipped,
and with them lifted, so every guess costs a full scrypt hash (which then runs off the
hub). Each time: GET /api/v1/health and POST /api/v1/tickets at concurrency 1, first quiet,
then while N threads post wrong passwords to /api/v1/auth/token back to back. Prints JSON.
"""
import argparse
import http.client
import json
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.helpers import KIOSK_TOKEN  # noqa: E402
from tests.live import LiveServer  # noqa: E402

LIFTED = {"RATELIMIT_LOGIN_CLIENT": "1000000 per minute",
          "RATELIMIT_LOGIN_ACCOUNT": "1000000 per minute",
          "RATELIMIT_LOGIN_ACCOUNT_ALL": "1000000 per minute"}


class Storm:
    """N threads guessing passwords until stopped; counts the answers."""

    def __init__(self, url, guessers):
        self.port = int(url.rsplit(":", 1)[1])
        self.stop = threading.Event()
        self.statuses = {}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._guess, args=(n,))
                        for n in range(guessers)]

    def _guess(self, n):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = 0
        while not self.stop.is_set():
            body = json.dumps({"username": ["mueller", "schmidt", "leitung"][n % 3],
                               "password": f"guess-{n}-{i}"})
            i += 1
            try:
                conn.request("POST", "/api/v1/auth/token", body=body,
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as exc:
                status = f"error: {type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
        conn.close()

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def _probe(url, total):
    auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    health = load.run(url, "GET", "/api/v1/health", total, 1)
    tickets = load.run(url, "POST", "/api/v1/tickets", total, 1, headers=auth,
                       body={"services": ["anmeldung"], "lang": "en"})
    return {"health": health, "tickets": tickets}


def measure(url, guessers, total):
    load.run(url, "GET", "/api/v1/health", 50, 1)
    quiet = _probe(url, total)
    with Storm(url, guessers) as storm:
        stormy = _probe(url, total)
    return {
        "quiet": quiet, "storm": stormy, "guesses": storm.statuses,
        "health_p50_ratio": round(stormy["health"]["p50_ms"] / quiet["health"]["p50_ms"], 2),
        "tickets_p50_ratio": round(stormy["tickets"]["p50_ms"] / quiet["tickets"]["p50_ms"],
                                   2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--guessers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--async-mode", default="eventlet")
    args = parser.parse_args()
    report = {"bench": "login_storm", "machine": describe(), "async_mode": args.async_mode,
              "guessers": args.guessers, "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, env in (("limits_as_shipped", {}), ("limits_lifted", LIFTED)):
            url = f"sqlite:///{tmp}/{name}.sqlite3"
            server = LiveServer(url, tmp, async_mode=args.async_mode, **env).start()
            try:
                report["results"][name] = measure(server.url, args.guessers, args.requests)
            finally:
                server.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
