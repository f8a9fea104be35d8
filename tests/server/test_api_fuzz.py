"""Generated requests from our own OpenAPI document: whatever is sent, never a 5xx.

Runs schemathesis (fixed seed, so a failure reproduces) against a live server as a kiosk
and as a clerk signed in at a desk with visitors waiting.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import HttpApi

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def fuzz(server, token, *options):
    if not SCHEMATHESIS.exists() and not shutil.which("schemathesis"):
        pytest.fail("schemathesis is not installed (requirements-dev.txt)")
    command = [str(SCHEMATHESIS if SCHEMATHESIS.exists() else "schemathesis"), "run",
               f"{server.url}/api/v1/openapi.json", "--url", f"{server.url}/api/v1",
               "-H", f"Authorization: Bearer {token}", "--checks", "not_a_server_error",
               "--max-examples", "25", "--seed", "20261124", "--no-color",
               # Revoking the token mid-run would leave the rest unauthenticated.
               "--exclude-path-regex", "auth", *options]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Traceback" not in server.log(), server.log()


@pytest.fixture
def sqlite_server(tmp_path, start_server):
    return start_server(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}")


def test_no_server_error_as_a_kiosk(sqlite_server):
    fuzz(sqlite_server, "demo-kiosk-token")


def test_no_server_error_as_a_clerk_at_work(sqlite_server):
    http = HttpApi(sqlite_server.url)
    for _ in range(3):
        http.issue("anmeldung")
    r = http.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="mueller")
    assert r.status_code == 200
    fuzz(sqlite_server, http.tokens["mueller"])


def test_no_server_error_as_a_supervisor_reading_reports(sqlite_server):
    """The insight calls (periods, filters, formats, feedback bodies) as a supervisor."""
    http = HttpApi(sqlite_server.url)
    http.issue("anmeldung")
    http.get("/reports/coverage", who="leitung")
    fuzz(sqlite_server, http.tokens["leitung"], "--include-path-regex", "reports|feedback")


def test_no_server_error_as_an_admin(sqlite_server):
    """The admin calls, as an admin: whatever is created, changed or deleted, never a 5xx."""
    http = HttpApi(sqlite_server.url)
    http.issue("anmeldung")
    http.auth("admin")
    fuzz(sqlite_server, http.tokens["admin"], "--include-path-regex", "admin")
