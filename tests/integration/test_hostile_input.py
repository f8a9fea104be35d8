"""What an attacker sends at the doors (issue 9: findings 4, 5, 10 and the small ones of 12):
always a clear 4xx, never a 500, nothing changed."""
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, csrf_token
from tests.integration.test_booking_api import book, first_slot
from tests.integration.test_booking_pages import _book, _count, _details_link

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("target", ["/%09/evil.example/phish", "//evil.example/x",
                                    "/\\evil.example", "/%0a/evil.example",
                                    "https://evil.example/", "/ /evil.example"])
def test_login_sends_back_only_to_a_path_on_this_site(client, target):
    from urllib.parse import unquote
    page = client.get("/login")
    r = client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "mueller",
                                    "password": PASSWORD, "next": unquote(target)})
    assert r.status_code == 302
    assert r.location.startswith("/") and not r.location.startswith("//"), r.location
    assert "evil.example" not in r.location


def test_login_keeps_a_plain_next_path(client):
    page = client.get("/login")
    r = client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "mueller",
                                    "password": PASSWORD, "next": "/desk/platz-1?x=1"})
    assert r.location == "/desk/platz-1?x=1"


@pytest.mark.parametrize("name", [
    "Mia\n\nPlease pay a fee of 25 EUR at https://pay.evil.example",
    "Mia\rBerger", "Mia\u2028Berger", "Mia\x00", "Mia \u202eregreB", "M" * 101, "   "])
def test_a_name_is_one_sane_line(app, api, name):
    slot = first_slot(api, "anmeldung")
    r = book(api, ["anmeldung"], slot["start"], name=name)
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] in ("invalid_name", "validation_error")
    assert _count(app) == 0


def test_names_in_many_scripts_are_welcome(api):
    slot = first_slot(api, "anmeldung")
    r = book(api, ["anmeldung"], slot["start"], name="Ayşe Öztürk-محمد Олена")
    assert r.status_code == 201, r.get_json()


def test_a_name_with_line_breaks_is_refused_on_the_page(app, client):
    r = _book(client, _details_link(client, "anmeldung"), name="Mia\n\nFee: 25 EUR")
    assert r.status_code == 422 and _count(app) == 0


@pytest.mark.parametrize("path", [
    "/slots?services=anmeldung&from=9999-12-31", "/slots?services=anmeldung&from=0001-01-01",
    "/slots?services=anmeldung&from=2026-12-01&to=9999-12-31"])
def test_extreme_dates_in_slot_search(api, path):
    r = api.get(path)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "date_out_of_range"


@pytest.mark.parametrize("path", ["/reports/staffing?date=0001-01-01",
                                  "/reports/daily?date=9999-12-31"])
def test_extreme_dates_in_reports(api, path):
    r = api.get(path, who="leitung")
    assert r.status_code == 422, r.get_json()


@pytest.mark.parametrize("start", ["0001-01-01T09:00:00+01:00", "9999-12-31T23:00:00-01:00",
                                   1, 1_800_000_000, 1.5])
def test_extreme_or_numeric_appointment_starts(app, api, start):
    r = book(api, ["anmeldung"], start)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error"
    assert _count(app) == 0


def test_deeply_nested_json_is_a_400(api):
    body = "[" * 5000 + "]" * 5000
    r = api.client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("path", ["/book/times?service=anmeldung&month=9999-12",
                                  "/book/times?service=anmeldung&month=0001-01",
                                  "/book/times?service=anmeldung&day=9999-12-31",
                                  "/book/details?service=anmeldung&start=9999-12-31T23:00:00-01:00",
                                  "/book/details?service=anmeldung"
                                  "&start=0001-01-01T00:00:00%2B01:00"])
def test_extreme_dates_on_the_booking_pages(client, path):
    page = client.get(path + "&lang=tr")
    assert page.status_code == 400 and "Bu adres geçerli değil" in page.text


def test_trace_is_405_with_allow(client):
    for path in ("/api/v1/services", "/book/"):
        r = client.open(path, method="TRACE")
        assert r.status_code == 405 and "GET" in r.headers.get("Allow", ""), path
    assert client.open("/api/v1/services", method="TRACE").get_json()["error"]


def test_retry_after_only_when_asked_to_wait(api):
    slot = first_slot(api, "anmeldung")
    created = book(api, ["anmeldung"], slot["start"])
    assert created.status_code == 201 and "Retry-After" not in created.headers
    refused = book(api, ["anmeldung"], slot["start"], n=1, name="")
    assert refused.status_code == 422 and "Retry-After" not in refused.headers
    assert "Retry-After" not in api.get("/slots?services=anmeldung").headers


def test_deployment_example_names_the_proxy_count():
    env = (ROOT / "config/deploy/env.example").read_text()
    assert "\nPROXY_COUNT=1" in env


@pytest.mark.parametrize("headers", [{"Host": "evil.example"},
                                     {"X-Forwarded-Host": "evil.example"}])
def test_mailed_links_never_follow_the_request_host(app, api, outbox, headers):
    app.config["PUBLIC_URL"] = None
    app.config["SERVER_URL"] = "http://10.1.2.3:5000"
    slot = first_slot(api, "anmeldung")
    r = api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                   "name": "Mia", "email": "mia@example.org", "consent": True},
                 headers=headers)
    assert r.status_code == 201
    mails = "".join(p.read_text(errors="replace") for p in outbox.rglob("*") if p.is_file())
    assert "http://10.1.2.3:5000/manage/" in mails and "evil.example" not in mails
    ticket = api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk", headers=headers)
    assert ticket.get_json()["track_url"].startswith("http://10.1.2.3:5000/t/")


def test_the_server_names_itself_by_the_address_it_was_started_on():
    from queue_app.links import server_url
    assert server_url("127.0.0.1", 5005) == "http://127.0.0.1:5005"
    assert server_url("::1", 80) == "http://[::1]:80"
    wildcard = server_url("0.0.0.0", 5000)
    assert wildcard.startswith("http://") and "0.0.0.0" not in wildcard


def test_a_very_long_path_is_a_json_414_on_the_api(client):
    r = client.get("/api/v1/tickets/" + "x" * 10_000)
    assert r.status_code == 414 and r.get_json()["error"]["code"] == "request_uri_too_long"
    assert client.get("/book/?x=" + "y" * 10_000).status_code == 414
