"""Login storms and booking forms meet limits (issue 9, findings 1, 2 and 12): one limit per
use case whichever door, failures only for logins, 429 with Retry-After, growing waits,
nobody locked out for good."""
import re
import time

import pytest

from config import demo_centre
from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.services import setup
from tests.helpers import KIOSK_TOKEN, NOW, PASSWORD, Api, Pages, csrf_token
from tests.integration.test_booking_pages import _details_link


def _limited_app(database_url, outbox, account_limit):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, MAIL_OUTBOX=str(outbox),
                     RATELIMIT_LOGIN_CLIENT="100 per minute",
                     RATELIMIT_LOGIN_ACCOUNT=account_limit,
                     RATELIMIT_LOGIN_ACCOUNT_ALL="100 per minute",
                     RATELIMIT_BOOKING="2 per minute", RATELIMIT_CHECK_IN="3 per minute",
                     LOGIN_REFUSAL_DELAY_SECONDS=0)
    with app.app_context():
        db.drop_all()
        setup.init_db()
        setup.seed_demo(NOW, demo_centre)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def limited(database_url, outbox):
    """An app with small limits (a two-second window, then an hour)."""
    yield from _limited_app(database_url, outbox, "3 per 2 second;5 per hour")


@pytest.fixture
def limited_for_a_minute(database_url, outbox):
    """The same, but a window no loaded machine outlasts between four requests (with two
    seconds, a CI run once took longer for the guesses than the window lasted)."""
    yield from _limited_app(database_url, outbox, "3 per minute;5 per hour")


def _guess(client, username="mueller", password="wrong-guess", addr="10.0.0.1"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def _page_login(client, password, addr="10.0.0.1"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": addr})
    return client.post("/login", data={"csrf_token": csrf_token(page.text),
                                       "username": "mueller", "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def test_failed_logins_wait_longer_and_longer_but_never_for_good(limited):
    client = limited.test_client()
    assert [_guess(client).status_code for _ in range(3)] == [401] * 3
    first = _guess(client)
    assert first.status_code == 429 and first.get_json()["error"]["code"] == "too_many_requests"
    assert 0 < int(first.headers["Retry-After"]) <= 2
    time.sleep(2.1)
    assert [_guess(client).status_code for _ in range(2)] == [401] * 2
    second = _guess(client)
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 60
    # The clerk at another place still signs in: the guesser's address is the one held back.
    r = _guess(client, password=PASSWORD, addr="10.0.0.2")
    assert r.status_code == 201


def test_the_login_page_and_the_api_share_one_count(limited_for_a_minute):
    client = limited_for_a_minute.test_client()
    assert [_guess(client).status_code for _ in range(2)] == [401, 401]
    assert _page_login(client, "wrong-guess").status_code == 401
    page = _page_login(client, "wrong-guess")
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert "text/html" in page.content_type and "Bitte warten Sie einen Moment" in page.text


def test_successful_logins_do_not_count(limited):
    client = limited.test_client()
    for _ in range(6):
        assert _guess(client, password=PASSWORD).status_code == 201


def test_booking_form_and_api_share_the_booking_limit(limited):
    client = limited.test_client()
    link = _details_link(client, "anmeldung")
    page = client.get(link)
    assert page.status_code == 200          # looking at the form costs nothing
    form = {"csrf_token": csrf_token(page.text), "name": "", "email": "x@example.org",
            "consent": "yes"}
    start = re.search(r'name="start" value="([^"]+)"', page.text).group(1)
    for _ in range(2):
        r = client.post("/book/details", data={**form, "service": "anmeldung", "start": start})
        assert r.status_code == 422
    r = client.post("/book/details", data={**form, "service": "anmeldung", "start": start})
    assert r.status_code == 429 and "Retry-After" in r.headers
    api = Api(client)
    r = api.post("/appointments", {"services": ["anmeldung"], "start": start, "name": "A",
                                   "email": "a@example.org", "consent": True})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_requests"


def test_waitlist_form_has_a_limit(limited):
    client = limited.test_client()
    page = client.get("/login")   # any form of this session carries its CSRF token
    statuses = [client.post("/book/waitlist", data={
        "csrf_token": csrf_token(page.text), "service": "anmeldung", "email": "bad",
        "consent": "yes"}).status_code for _ in range(3)]
    assert statuses[-1] == 429 and 429 not in statuses[:2]


def test_check_in_is_limited_per_kiosk(limited):
    api = Api(limited.test_client())
    codes = [api.post("/check-in", {"code": f"ZZZ{n:03d}"}, who="kiosk").status_code
             for n in range(4)]
    assert codes[:3] == [404] * 3 and codes[3] == 429
    kiosk = Pages(limited.test_client())
    kiosk.set_up_device(KIOSK_TOKEN)
    page = kiosk.client.get("/kiosk/de/check-in")
    r = kiosk.client.post("/kiosk/de/check-in", data={"csrf_token": csrf_token(page.text),
                                                      "code": "ZZZ-999"})
    assert r.status_code == 429   # the same kiosk, the same count, by page or by API


def test_a_refused_guess_is_answered_after_a_pause(limited):
    limited.config["LOGIN_REFUSAL_DELAY_SECONDS"] = 0.5
    client = limited.test_client()
    for _ in range(3):
        _guess(client)
    started = time.monotonic()
    assert _guess(client).status_code == 429
    assert time.monotonic() - started >= 0.5
