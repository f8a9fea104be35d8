"""The board page, its fallback state and its heartbeat."""
import json
import re

from sqlalchemy import select

from queue_app.extensions import db, socketio
from queue_app.models import Device
from tests.helpers import Pages

BOARD_TOKEN = "demo-board-eg-token"


def test_board_page_carries_its_zone_and_the_call_sentence_in_every_language(client):
    r = client.get("/display/eg")
    assert r.status_code == 200
    config = json.loads(re.search(
        r'<script type="application/json" id="board-config">(.*?)</script>', r.text,
        re.S).group(1))
    assert config["zone"] == "eg" and config["pollSeconds"] == 15
    assert config["phrases"]["de"]["text"] == "Nummer {number}, bitte zu {desk}."
    assert config["phrases"]["ar"] == {"text": "الرقم {number}، يرجى التوجه إلى {desk}.",
                                       "voice": "ar-SA"}
    codes = [s["code"] for s in config["services"]]
    assert codes[:2] == ["anmeldung", "personalausweis"]     # catalogue order
    assert "aufenthalt-verlaengern" not in codes              # nobody walks in for it


def test_unknown_zone_is_404(client):
    assert client.get("/display/keller").status_code == 404
    assert client.get("/display/keller/state.json").status_code == 404


def test_state_json_has_the_calls_and_no_personal_data(api, client):
    ticket = api.issue("anmeldung", lang="tr")
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.call_next("platz-3", "mueller")
    state = client.get("/display/eg/state.json").get_json()
    assert state["called"][0]["number"] == ticket["number"]
    assert set(state["called"][0]) == {"number", "spoken", "desk", "desk_name", "service",
                                       "called_at", "lang"}
    assert client.get("/display/og1/state.json").get_json()["called"] == []


def test_a_set_up_board_goes_to_its_zone_and_beats(app):
    board = Pages(app.test_client())
    r = board.set_up_device(BOARD_TOKEN)
    assert r.status_code == 302 and r.location.endswith("/display/eg")
    assert board.client.get("/display/").location.endswith("/display/eg")
    sock = socketio.test_client(app, namespace="/display", auth={"zone": "eg"},
                                flask_test_client=board.client)
    assert sock.is_connected("/display")
    sock.emit("heartbeat", namespace="/display")
    sock.disconnect(namespace="/display")
    with app.app_context():
        seen = db.session.scalar(select(Device.last_seen_at).where(Device.name == "board-eg"))
        silent = db.session.scalar(select(Device.last_seen_at).where(Device.name == "board-og1"))
        db.session.remove()
    assert seen is not None and silent is None


def test_an_anonymous_viewer_is_not_taken_for_a_board(app):
    sock = socketio.test_client(app, namespace="/display", auth={"zone": "eg"})
    assert sock.is_connected("/display")
    sock.emit("heartbeat", namespace="/display")
    with app.app_context():
        assert db.session.scalars(select(Device.last_seen_at)).all() == [None, None, None]
        db.session.remove()


def test_state_lists_each_number_once_and_the_zones_services(api, client):
    """A visitor called at two desks (two errands) is listed once, at the latest call."""
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.sign_in("platz-4", "schmidt", "kfz-zulassung")
    t = api.issue("anmeldung", "kfz-zulassung")
    api.call_next("platz-3", "mueller")
    api.act(t["id"], "finish", "mueller")
    api.call_next("platz-4", "schmidt")
    state = client.get("/display/eg/state.json").get_json()
    assert [(c["number"], c["desk"]) for c in state["called"]] == [(t["number"], "platz-4")]
    assert state["services"] == ["anmeldung", "kfz-zulassung"]
    assert client.get("/display/og1/state.json").get_json()["services"] == []
