"""A Redis that hangs or goes away, behind a TCP proxy the test pauses and kills (issue 9,
finding 7): the clerk's call stays fast, the boards on the same process still hear it,
slot search (rate limits in Redis) still answers, and the processes hear each other again
once Redis is back."""
import secrets
import time
from urllib.parse import urlsplit

import pytest
import requests

from tests.live import HttpApi
from tests.proxy import TcpProxy
from tests.services import redis_url
from tests.sockets import Listener


@pytest.fixture
def redis_proxy():
    url = redis_url()
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname, parts.port or 6379)
    yield proxy, proxy.url_for(url, 6379)
    proxy.close()


def _call(http, board):
    ticket = http.issue("anmeldung")
    started = time.monotonic()
    r = http.post("/desks/platz-1/call-next", who="mueller")
    took = time.monotonic() - started
    assert r.status_code == 200 and r.json()["number"] == ticket["number"], r.text
    assert took < 2, f"call-next took {took:.1f}s"
    board.next("called", where=lambda c: c["number"] == ticket["number"])
    assert http.post(f"/tickets/{ticket['id']}/no-show", who="mueller").status_code == 200
    return ticket


def test_calls_boards_and_slot_search_go_on_without_redis(
        shared_postgres, start_server, redis_proxy):
    proxy, url = redis_proxy
    tag = f"test-{secrets.token_hex(4)}"
    env = {"SOCKETIO_MESSAGE_QUEUE": url, "SOCKETIO_CHANNEL": tag,
           "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": tag}
    a = start_server(shared_postgres, **env)
    b = start_server(shared_postgres, **env)
    http = HttpApi(a.url)
    board_a = Listener(a.url, "/display", {"zone": "eg"})
    board_b = Listener(b.url, "/display", {"zone": "eg"})
    try:
        board_a.next("state")
        board_b.next("state")
        http.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="mueller")
        ticket = _call(http, board_a)
        board_b.next("called", where=lambda c: c["number"] == ticket["number"])
        for fault in (proxy.pause, proxy.kill):
            fault()
            _call(http, board_a)
            _call(http, board_a)
            started = time.monotonic()
            slots = requests.get(f"{a.url}/api/v1/slots?services=anmeldung", timeout=30)
            assert slots.status_code == 200 and time.monotonic() - started < 3
        proxy.revive()
        deadline = time.monotonic() + 40
        while True:   # the other process hears calls again once Redis is back
            ticket = _call(http, board_a)
            try:
                board_b.next("called", timeout=2,
                             where=lambda c: c["number"] == ticket["number"])
                break
            except AssertionError:
                assert time.monotonic() < deadline, b.log()
    finally:
        board_a.close()
        board_b.close()
    assert "Redis message queue unavailable" in a.log()
