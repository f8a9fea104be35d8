"""Starting the real processes: bad settings and an old schema stop them with one line;
the server runs from any working directory."""
import os
import subprocess
import sys

import pytest
import requests

from tests.live import ROOT, LiveServer

pytestmark = pytest.mark.server


def run(args, tmp_path, **env):
    """A process as an operator starts it, from a directory that is not the repository."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore",
                   "ASYNC_MODE": "threading", "RUN_SCHEDULER": "0", "SECRET_KEY": "x",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}", **env}
    done = subprocess.run(args, cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=60)
    return done.returncode, (done.stdout + done.stderr).strip()


SERVER = [sys.executable, "-m", "queue_app", "--port", "1"]
FLASK = [sys.executable, "-m", "flask", "--app", "queue_app", "init-db"]


@pytest.mark.parametrize("command", [SERVER, FLASK], ids=["server", "flask"])
@pytest.mark.parametrize("name, value", [
    ("BOOKING_RELEASE_AT", "7 Uhr"),
    ("BOOKING_RELEASE_AT", "25:00"),
    ("TIMEZONE", "Europe/Atlantis"),
    ("DATABASE_URL", "mysql://centre@db/queue"),
    ("DATABASE_URL", "not a url"),
    ("KIOSK_IDLE_SECONDS", "a minute"),
    ("FIXED_NOW", "2031-12-02 10:00"),
])
def test_a_bad_setting_stops_the_start_with_one_line(tmp_path, command, name, value):
    code, output = run(command, tmp_path, **{name: value})
    assert code != 0
    assert len(output.splitlines()) == 1, output
    assert name in output and repr(value) in output and "Traceback" not in output
    assert not (tmp_path / "start.sqlite3").exists()


def test_the_server_refuses_a_database_behind_the_code(tmp_path):
    assert run(FLASK, tmp_path)[0] == 0
    code, output = run([sys.executable, "-m", "flask", "--app", "queue_app", "db",
                        "downgrade", "base"], tmp_path)
    assert code == 0, output
    code, output = run(SERVER, tmp_path)
    assert code != 0
    assert len(output.splitlines()) == 1, output
    assert "flask --app queue_app db upgrade" in output and "init-db" in output


def test_the_server_runs_from_another_working_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    server = LiveServer(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path,
                        async_mode="threading", cwd=elsewhere).start()
    try:
        r = requests.get(f"{server.url}/api/v1/services?lang=en", timeout=5)
        assert r.status_code == 200 and r.json()
        assert requests.get(f"{server.url}/kiosk/", timeout=5).status_code in (200, 302)
    finally:
        server.stop()
    assert list(elsewhere.iterdir()) == []


def test_a_postgresql_server_opens_the_connections_a_rush_needs_at_start(start_server,
                                                                         shared_postgres):
    import psycopg2

    start_server(shared_postgres)
    with psycopg2.connect(shared_postgres) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()")
        (backends,) = cur.fetchone()
    # The residents let in (at least one) and the building's own four
    # (POOL_FOR_THE_BUILDING in queue_app/__main__.py, which this process must not import:
    # it patches the standard library), before anyone asks.
    assert backends >= 5
