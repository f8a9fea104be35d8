"""Real server processes for end-to-end tests: `python -m queue_app` on a free port."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from config.settings import normalise_database_url

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url, log_dir, async_mode="eventlet", port=None, cwd=ROOT,
                 **env):
        self.database_url = database_url
        self.cwd = cwd
        self.async_mode = async_mode
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"server-{self.port}.log"
        self.env = {**os.environ, "DATABASE_URL": database_url, "ASYNC_MODE": async_mode,
                    "SECRET_KEY": "live-test", "RUN_SCHEDULER": "0",
                    # Tests run at any hour; the demo's desks close at noon.
                    "WALK_IN_CLOSES_AT": "off",
                    "PYTHONPATH": str(ROOT), **env}
        self.process = None

    def start(self, timeout=30):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "queue_app", "--demo", "--host", "127.0.0.1",
             "--port", str(self.port)], cwd=self.cwd, env=self.env, stdout=log,
            stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not come up in {timeout}s:\n{self.log()}")

    def kill(self):
        """kill -9: no shutdown code runs, as in a power cut or OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]


class HttpApi:
    """The same small actions as tests.helpers.Api, over real HTTP."""

    def __init__(self, base_url):
        self.base = f"{base_url}/api/v1"
        self.http = requests.Session()
        self.tokens = {}

    def auth(self, who):
        if who is None:
            return {}
        if who == "kiosk":
            from tests.helpers import KIOSK_TOKEN
            return {"Authorization": f"Bearer {KIOSK_TOKEN}"}
        if who not in self.tokens:
            from tests.helpers import PASSWORD
            r = self.http.post(f"{self.base}/auth/token",
                               json={"username": who, "password": PASSWORD}, timeout=10)
            r.raise_for_status()
            self.tokens[who] = r.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def post(self, path, json=None, who=None, headers=None):
        return self.http.post(f"{self.base}{path}", json=json, timeout=30,
                              headers={**self.auth(who), **(headers or {})})

    def get(self, path, who=None):
        return self.http.get(f"{self.base}{path}", headers=self.auth(who), timeout=30)

    def issue(self, *services, **extra):
        r = self.post("/tickets", {"services": list(services), **extra}, who="kiosk")
        assert r.status_code == 201, r.text
        return r.json()


class DatabaseHeld:
    """From outside the server: SQLite's write lock, or on PostgreSQL the appointments
    table locked against writes (reads pass). A booking then waits inside the server (and
    holds its place in the residents' admission gate) until `release`."""

    def __init__(self, url):
        self.url = url
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(normalise_database_url(url))
            self.conn = self.engine.connect()
            self.conn.execute(text("LOCK TABLE appointments IN EXCLUSIVE MODE"))

    def waiting(self):
        """Whether the server's booking is waiting for the lock (PostgreSQL can tell)."""
        if self.url.startswith("sqlite"):
            return True
        with self.engine.connect() as other:
            return other.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                                 ).scalar() > 0

    def release(self):
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()
