"""Two server processes, one PostgreSQL, Redis between them: a call made through one
process reaches boards and phones connected to the other."""
import secrets


from tests.live import HttpApi
from tests.services import redis_url
from tests.sockets import Listener


def test_call_through_one_process_reaches_the_other(shared_postgres, start_server):
    queue = redis_url()
    env = {"SOCKETIO_MESSAGE_QUEUE": queue, "SOCKETIO_CHANNEL": f"test-{secrets.token_hex(4)}"}
    a = start_server(shared_postgres, **env)
    b = start_server(shared_postgres, **env)
    through_a = HttpApi(a.url)
    ticket = through_a.issue("kfz-zulassung", lang="tr")
    board_on_b = Listener(b.url, "/display", {"zone": "eg"})
    phone_on_b = Listener(b.url, "/ticket", {"ticket": ticket["id"]})
    try:
        assert board_on_b.next("state")["waiting"]["kfz-zulassung"] == 1
        phone_on_b.next("ticket")
        through_a.post("/desks/platz-7/session", {"services": ["kfz-zulassung"]}, who="schmidt")
        through_a.post("/desks/platz-7/call-next", who="schmidt")
        called = board_on_b.next("called")
        assert (called["number"], called["desk_name"]) == (ticket["number"], "Platz 7")
        assert phone_on_b.next("ticket", where=lambda t: t["status"] == "called")["desk"] == \
            "platz-7"
    finally:
        board_on_b.close()
        phone_on_b.close()
