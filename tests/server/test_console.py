"""What an operator sees on the console: a line per request, and CLI commands without
eventlet's deprecation banner."""
import os
import subprocess
import sys
import re

import requests

from tests.live import ROOT

LINE = re.compile(r"GET /kiosk/ 302 \d+\.\d ms$", re.MULTILINE)


def test_one_line_per_request_with_method_path_status_and_ms(start_server):
    live = start_server()
    requests.get(f"{live.url}/kiosk/", allow_redirects=False, timeout=10)
    ticket = requests.get(f"{live.url}/api/v1/tickets/secret-ticket-id", timeout=10)
    assert ticket.status_code == 404
    log = live.log()
    assert len(LINE.findall(log)) == 1
    assert "GET /api/v1/tickets/… 404 " in log and "secret-ticket-id" not in log
    # The start banner names every face a newcomer may look for, the back office too.
    assert re.search(r"Back office: +http://127\.0\.0\.1:\d+/admin/", log)


def test_request_log_can_be_switched_off(start_server):
    live = start_server(REQUEST_LOG="0")
    requests.get(f"{live.url}/kiosk/", allow_redirects=False, timeout=10)
    assert not LINE.search(live.log())


def test_cli_prints_no_eventlet_banner(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
           "ASYNC_MODE": "eventlet", "PYTHONPATH": str(ROOT)}
    flask = [sys.executable, "-m", "flask", "--app", "queue_app"]
    done = subprocess.run([*flask, "init-db"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "deprecated" not in (done.stdout + done.stderr).lower()
    assert done.stderr.strip() == ""
