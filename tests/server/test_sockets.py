"""The Socket.IO contract with a real client against a real server, per async mode."""
import pytest
import socketio

from tests.live import HttpApi
from tests.sockets import Listener


@pytest.fixture(params=["eventlet", "threading", "gevent"])
def sock_server(request, tmp_path, start_server):
    return start_server(f"sqlite:///{tmp_path / 'sock.sqlite3'}", async_mode=request.param)


def test_board_gets_state_then_called_events(sock_server):
    http = HttpApi(sock_server.url)
    t = http.issue("anmeldung", lang="ar")
    board = Listener(sock_server.url, "/display", {"zone": "eg"})
    upstairs = Listener(sock_server.url, "/display", {"zone": "og1"})
    try:
        state = board.next("state")
        assert state["called"] == []
        assert state["waiting"]["anmeldung"] == 1
        http.post("/desks/platz-3/session", {"services": ["anmeldung"]}, who="mueller")
        http.post("/desks/platz-3/call-next", who="mueller")
        called = board.next("called")
        assert {"number": t["number"], "desk": "platz-3", "desk_name": "Platz 3",
                "service": "anmeldung", "recall": False}.items() <= called.items()
        assert called["called_at"]
        assert called["spoken"] == f"A {int(t['number'][1:])}"
        assert board.next("waiting")["anmeldung"] == 0
        http.post(f"/tickets/{t['id']}/recall", who="mueller")
        assert board.next("called")["recall"] is True
        # The board upstairs hears nothing of a ground-floor call.
        with pytest.raises(AssertionError):
            upstairs.next("called", timeout=0.5)
    finally:
        board.close()
        upstairs.close()


def test_board_reconnecting_gets_the_calls_so_far(sock_server):
    http = HttpApi(sock_server.url)
    t = http.issue("anmeldung")
    http.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="mueller")
    http.post("/desks/platz-1/call-next", who="mueller")
    board = Listener(sock_server.url, "/display", {"zone": "eg"})
    try:
        state = board.next("state")
        assert [c["number"] for c in state["called"]] == [t["number"]]
        assert {"number", "desk", "desk_name", "service", "called_at"} <= state["called"][0].keys()
        assert "name" not in state["called"][0]
    finally:
        board.close()


def test_phone_follows_its_ticket(sock_server):
    http = HttpApi(sock_server.url)
    first = http.issue("anmeldung")
    mine = http.issue("anmeldung", lang="uk")
    phone = Listener(sock_server.url, "/ticket", {"ticket": mine["id"]})
    try:
        snapshot = phone.next("ticket")
        assert (snapshot["id"], snapshot["position"]) == (mine["id"], 2)
        http.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="mueller")
        # Someone ahead is called: my position moves up without me asking.
        http.post("/desks/platz-1/call-next", who="mueller")
        assert phone.next("ticket", where=lambda d: d["position"] == 1)["status"] == "waiting"
        http.post(f"/tickets/{first['id']}/finish", who="mueller")
        http.post("/desks/platz-1/call-next", who="mueller")
        mine_called = phone.next("ticket", where=lambda d: d["status"] == "called")
        assert (mine_called["desk"], mine_called["desk_name"]) == ("platz-1", "Platz 1")
        assert set(snapshot) >= {"id", "number", "status", "current_service", "position",
                                 "estimated_wait_minutes", "desk"}
    finally:
        phone.close()


def test_unknown_zone_or_ticket_is_refused(sock_server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sock_server.url, "/display", {"zone": "mars"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(sock_server.url, "/ticket", {"ticket": "nope"})
