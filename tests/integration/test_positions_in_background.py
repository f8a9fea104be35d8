"""With POSITIONS_IN_BACKGROUND (the servers' default) the moved queue's positions reach the
phones after the response, from a background task, and only phones that follow a ticket
cost a view."""
import time

import pytest

from config import demo_centre
from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db, socketio
from queue_app.services import setup
from tests.helpers import NOW, Api


@pytest.fixture
def background_app(database_url, outbox):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     MAIL_OUTBOX=str(outbox), POSITIONS_IN_BACKGROUND=True)
    with app.app_context():
        db.drop_all()
        setup.init_db()
        setup.seed_demo(NOW, demo_centre)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _tickets_until(phone, done, wait=5.0):
    """Every `ticket` event until one satisfies `done` (or the wait is over)."""
    got = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        got += [m["args"][0] for m in phone.get_received("/ticket") if m["name"] == "ticket"]
        if any(done(v) for v in got):
            break
        time.sleep(0.05)
    return got


def test_a_follower_behind_a_call_gets_the_new_position_after_the_response(background_app):
    api = Api(background_app.test_client())
    first, second, third = (api.issue("anmeldung") for _ in range(3))
    assert third["position"] == 3
    phone = socketio.test_client(background_app, namespace="/ticket",
                                 auth={"ticket": third["id"]})
    phone.get_received("/ticket")   # the view sent on connect
    api.sign_in("platz-1", "mueller", "anmeldung")
    called = api.call_next("platz-1", "mueller")
    assert called.status_code == 200 and called.get_json()["id"] == first["id"]
    views = _tickets_until(phone, lambda v: v["position"] == 2)
    assert views and views[-1]["position"] == 2
    assert all(v["id"] == third["id"] for v in views)
    phone.disconnect("/ticket")
