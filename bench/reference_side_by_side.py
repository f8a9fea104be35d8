"""Ours beside the reference Flask queue manager (mrf345/FQM), same load tool, same machine.

    python bench/reference_side_by_side.py --reference-dir DIR --reference-python PY
        [--rounds 5] [--tickets 2000] [--sizes 10,250,1000,2000]

The reference is not part of this repository: bring it with the search tool's fetch
(github:mrf345/FQM), install its requirements/main.txt and gevent into a venv of its own,
and name its checkout and that venv's python here. Nothing of it is copied into ours: it
runs from a fresh copy of DIR in a temporary folder each round (its SQLite file lives
there), set up through its own models, driven through its own HTTP API.

Rounds alternate ours/reference on fresh SQLite databases. Every ticket goes to one
service (ours: anmeldung; reference: one task of one office), so the queue grows as on a
busy morning: tickets/s at 1 and 32 clients, then ticket and call-next latency at each
queue length. Prints JSON.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.machine import describe  # noqa: E402
from queue_app.domain.stats import percentile  # noqa: E402
from tests.helpers import KIOSK_TOKEN  # noqa: E402
from tests.live import HttpApi, LiveServer, free_port  # noqa: E402

SERVICE = "anmeldung"
SAMPLES = 30
# The reference's responses leave in several writes; on a kept-alive connection the
# client's delayed ACK then stalls each request ~40 ms. So by default the throughput runs
# open a connection per request for both servers (the same load tool, the same terms), and
# the reference's single requests do too; --keep-alive keeps connections for both.
KEEP_ALIVE = False

# Run inside the reference's own checkout with its own python: one office, one task, one
# API token, made through its models so that its own defaults apply.
REFERENCE_SETUP = """
import json
from app.main import create_app
from app.middleware import db
from app.database import AuthTokens, Office, Serial, Task
app = create_app({})
with app.app_context():
    office = Office("Bench", "B")
    db.session.add(office)
    db.session.commit()
    task = Task("Bench")
    task.offices.append(office)
    token = AuthTokens("bench")
    db.session.add_all([task, token])
    db.session.commit()
    # Its task form adds this placeholder ticket (number 100) that numbering starts from.
    db.session.add(Serial(office_id=office.id, task_id=task.id, p=True))
    db.session.commit()
    print(json.dumps({"office": office.id, "task": task.id, "token": token.token}))
"""


class Reference:
    """One reference server on a fresh copy of its checkout (and so a fresh database)."""

    def __init__(self, source, python, tmp):
        self.dir = Path(tmp) / "reference"
        shutil.copytree(source, self.dir, ignore=shutil.ignore_patterns(
            "data.sqlite", "errors.log", ".git"))
        self.python = python
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, timeout=60):
        self.log = open(self.dir / "bench-server.log", "ab")
        self.process = subprocess.Popen(
            [self.python, "run.py", "--cli", "--quiet", "--ip", "127.0.0.1",
             "--port", str(self.port)], cwd=self.dir, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/", timeout=1).status_code < 500:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise RuntimeError("reference did not come up")
        out = subprocess.run([self.python, "-c", REFERENCE_SETUP], cwd=self.dir, check=True,
                             capture_output=True, text=True).stdout
        self.ids = json.loads(out.strip().splitlines()[-1])
        self.auth = {"Authorization": f"Token {self.ids['token']}"}
        return self

    def ticket_body(self):
        return {"task_id": self.ids["task"], "office_id": self.ids["office"]}

    def issue(self, total, concurrency):
        return load.run(self.url, "POST", "/api/v1/tickets/", total, concurrency,
                        headers=self.auth, body=self.ticket_body(), keep_alive=KEEP_ALIVE)

    def issue_one(self, session):
        client = session if KEEP_ALIVE else requests
        r = client.post(self.url + "/api/v1/tickets/", json=self.ticket_body(),
                        headers=self.auth, timeout=30)
        assert r.status_code == 200, r.text

    def call_one(self, session):
        """Pull the next ticket (the reference's call); nothing to close afterwards."""
        client = session if KEEP_ALIVE else requests
        r = client.get(self.url + "/api/v1/tickets/pull",
                       params={"office_id": self.ids["office"]}, headers=self.auth, timeout=30)
        assert r.status_code == 200, r.text
        return None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class Ours:
    def __init__(self, tmp):
        self.server = LiveServer(f"sqlite:///{tmp}/ours.sqlite3", tmp)
        self.auth = {"Authorization": f"Bearer {KIOSK_TOKEN}"}

    def start(self):
        self.server.start()
        self.url = self.server.url
        self.api = HttpApi(self.url)
        r = self.api.post("/desks/platz-1/session", {"services": [SERVICE]}, who="mueller")
        assert r.status_code == 200, r.text
        return self

    def issue(self, total, concurrency):
        return load.run(self.url, "POST", "/api/v1/tickets", total, concurrency,
                        headers=self.auth, body={"services": [SERVICE], "lang": "en"},
                        keep_alive=KEEP_ALIVE)

    def issue_one(self, session):
        r = self.api.post("/tickets", {"services": [SERVICE], "lang": "en"}, who="kiosk")
        assert r.status_code == 201, r.text

    def call_one(self, session):
        """Call next; the finish that frees the desk again is returned, not timed."""
        r = self.api.post("/desks/platz-1/call-next", who="mueller")
        assert r.status_code == 200, r.text

        def finish():
            done = self.api.post(f"/tickets/{r.json()['id']}/finish", who="mueller")
            assert done.status_code == 200, done.text
        return finish

    def stop(self):
        self.server.stop()


def _timed(action, session, n):
    spent = []
    for _ in range(n):
        began = time.perf_counter()
        after = action(session)
        spent.append(time.perf_counter() - began)
        if after:
            after()
    return round(percentile(spent, 50) * 1000, 2)


def throughput(system, tickets):
    system.start()
    try:
        return {"c1": system.issue(max(200, tickets // 4), 1), "c32": system.issue(tickets, 32)}
    finally:
        system.stop()


def growth(system, sizes):
    """Ticket and call latency at each queue length (one service; the calls' finish and
    the tickets issued while measuring leave the length as it was)."""
    system.start()
    try:
        session, waiting, figures = requests.Session(), 0, {}
        for size in sizes:
            if size > waiting:
                r = system.issue(size - waiting, 4)
                assert set(r["statuses"]) <= {"200", "201"}, r["statuses"]
                waiting = size
            figures[str(size)] = {"ticket_p50_ms": _timed(system.issue_one, session, SAMPLES),
                                  "call_p50_ms": _timed(system.call_one, session, SAMPLES)}
        return figures
    finally:
        system.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference-dir", required=True)
    parser.add_argument("--reference-python", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--sizes", default="10,250,1000,2000")
    parser.add_argument("--keep-alive", action="store_true")
    args = parser.parse_args()
    global KEEP_ALIVE
    KEEP_ALIVE = args.keep_alive
    sizes = [int(s) for s in args.sizes.split(",")]
    rounds = {"ours": [], "reference": []}
    for _ in range(args.rounds):
        for name in ("ours", "reference"):
            with tempfile.TemporaryDirectory() as tmp:
                def make(sub):
                    folder = Path(tmp) / sub
                    folder.mkdir()
                    return Ours(folder) if name == "ours" else Reference(
                        args.reference_dir, args.reference_python, folder)
                figures = throughput(make("throughput"), args.tickets)
                figures["growth"] = growth(make("growth"), sizes)
                rounds[name].append(figures)
    summary = {}
    for name, runs in rounds.items():
        summary[name] = {
            "tickets_per_s_c1_median": statistics.median(r["c1"]["per_second"] for r in runs),
            "tickets_per_s_c32_median": statistics.median(r["c32"]["per_second"] for r in runs),
            "c32_p50_ms_median": statistics.median(r["c32"]["p50_ms"] for r in runs),
            "c32_p99_ms_median": statistics.median(r["c32"]["p99_ms"] for r in runs),
            "c32_statuses": [r["c32"]["statuses"] for r in runs],
            "growth_p50_ms_median": {
                size: {kind: statistics.median(r["growth"][size][kind] for r in runs)
                       for kind in ("ticket_p50_ms", "call_p50_ms")}
                for size in runs[0]["growth"]},
        }
    summary["ratio_c1"] = round(summary["ours"]["tickets_per_s_c1_median"]
                                / summary["reference"]["tickets_per_s_c1_median"], 2)
    summary["ratio_c32"] = round(summary["ours"]["tickets_per_s_c32_median"]
                                 / summary["reference"]["tickets_per_s_c32_median"], 2)
    print(json.dumps({"bench": "reference_side_by_side", "machine": describe(),
                      "connections": "kept alive" if KEEP_ALIVE else "one per request",
                      "summary": summary, "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
