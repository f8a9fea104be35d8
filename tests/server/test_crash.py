"""kill -9 in the middle of the day: everything comes back as it was."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.models import Visit
from tests.live import HttpApi, LiveServer
from tests.sockets import Listener


def committed_numbers(database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        numbers = db.session.scalars(select(Visit.number)).all()
        db.session.remove()
        db.engine.dispose()
    return numbers


def test_kill_9_loses_nothing_and_numbering_continues(server_db, tmp_path):
    server = LiveServer(server_db, tmp_path).start()
    try:
        http = HttpApi(server.url)
        tickets = [http.issue("anmeldung") for _ in range(5)]
        http.post("/desks/platz-2/session", {"services": ["anmeldung"]}, who="mueller")
        called = http.post("/desks/platz-2/call-next", who="mueller").json()
        # Requests in flight when the power goes: each either happened or did not.
        with ThreadPoolExecutor(8) as pool:
            in_flight = [pool.submit(HttpApi(server.url).issue, "anmeldung") for _ in range(8)]
            server.kill()
        survived = []
        for future in in_flight:
            try:
                survived.append(future.result())
            except Exception:
                pass
    finally:
        server.stop()

    again = LiveServer(server_db, tmp_path, port=server.port).start()
    try:
        http = HttpApi(again.url)
        for t in tickets[1:] + survived:
            r = http.get(f"/tickets/{t['id']}")
            assert r.status_code == 200
            assert r.json()["status"] == "waiting"
        back = http.get(f"/tickets/{called['id']}").json()
        assert (back["status"], back["desk"]) == ("called", "platz-2")
        # Numbers go on from the highest one that was committed; none is given twice.
        highest = max(int(t["number"][1:]) for t in tickets + survived)
        nxt = http.issue("anmeldung")
        assert int(nxt["number"][1:]) > highest
        numbers = sorted(committed_numbers(server_db))
        assert numbers == [f"A{n:03d}" for n in range(1, len(numbers) + 1)], "a gap or twin"
        assert nxt["number"] == numbers[-1]
        # The clerk's desk session and held visitor are still there.
        assert http.post("/desks/platz-2/call-next", who="mueller").status_code == 409
        board = Listener(again.url, "/display", {"zone": "eg"})
        try:
            state = board.next("state")
            assert [c["number"] for c in state["called"]] == [called["number"]]
        finally:
            board.close()
    finally:
        again.stop()
