"""A second start on a taken port exits at once with one clear line (issue 9, finding 8),
instead of silently sharing the port (SO_REUSEPORT) with a scheduler and clients of its own."""
import subprocess
import sys
import time

import pytest
import requests

from tests.live import ROOT


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_a_second_server_on_the_same_port_refuses_to_start(start_server, async_mode):
    first = start_server(async_mode=async_mode)
    started = time.monotonic()
    second = subprocess.run(
        [sys.executable, "-m", "queue_app", "--host", "127.0.0.1", "--port", str(first.port)],
        cwd=ROOT, env=first.env, capture_output=True, text=True, timeout=60)
    assert second.returncode != 0
    assert time.monotonic() - started < 15
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and str(first.port) in lines[0] and "taken" in lines[0], lines
    assert requests.get(f"{first.url}/api/v1/health", timeout=5).status_code == 200


def test_a_very_long_path_gets_json_from_the_live_server(start_server):
    server = start_server()
    r = requests.get(f"{server.url}/api/v1/tickets/{'x' * 10_000}", timeout=10)
    assert r.status_code == 414 and r.json()["error"]["code"] == "request_uri_too_long"
