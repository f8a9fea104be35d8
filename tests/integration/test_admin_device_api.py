"""The admin API's devices and settings on SQLite and PostgreSQL: the same services as the
office's pages, every change validated (4xx, nothing changed), audited, in effect at the
next request; the environment wins over a stored setting and the API says so."""
import json
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text

from config.settings import TestConfig
from queue_app import create_app
from queue_app.extensions import db
from queue_app.models import ApiToken, AuditEntry, Device, Setting
from tests.helpers import Api, Pages

SETTINGS = {"CENTRE_NAME", "RETENTION_DAYS", "CHECK_IN_EARLY_MINUTES", "CHECK_IN_GRACE_MINUTES",
            "KIOSK_IDLE_SECONDS", "MAX_ACTIVE_BOOKINGS_PER_EMAIL",
            "BOOKING_REQUIRES_CONFIRMATION"}


def count(app, model):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return n


def counts(app):
    return {m.__name__: count(app, m) for m in (Device, ApiToken, AuditEntry, Setting)}


def patch(api, path, body, who="admin"):
    return api.client.patch(f"/api/v1{path}", json=body, headers=api.auth(who))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def issue_with(api, token):
    return api.client.post("/api/v1/tickets", json={"services": ["anmeldung"]},
                           headers=bearer(token))


def by_key(api, who="admin"):
    r = api.get("/admin/settings", who=who)
    assert r.status_code == 200, r.get_json()
    return {s["key"]: s for s in r.get_json()}


def book(api, slot, email):
    return api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                      "name": "Resident", "email": email, "lang": "de",
                                      "consent": True})


# --- devices ---------------------------------------------------------------------------

def test_device_token_shown_once_works_on_the_kiosk_api_and_dies_at_once(app, api):
    app.config["AUTH_CACHE_SECONDS"] = 600       # a cached token must not outlive revocation
    r = api.post("/admin/devices", {"name": "kiosk-og", "kind": "kiosk", "zone": "og1"},
                 who="admin")
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    token = created.pop("token")
    assert created["name"] == "kiosk-og" and created["zone"] == "og1" and created["active"]
    assert issue_with(api, token).status_code == 201      # cached by this process now

    listed = api.get("/admin/devices", who="leitung")
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    assert token not in text and "token" not in text and "hash" not in text
    row = next(d for d in listed.get_json() if d["name"] == "kiosk-og")
    assert row == {**created, "last_seen_at": None}
    assert "token" not in api.get("/admin/devices/kiosk-og", who="admin").get_json()

    r = api.post("/admin/devices/kiosk-og/revoke", who="admin")
    assert r.status_code == 200 and r.get_json()["active"] is False
    assert r.get_json()["revoked_at"] is not None
    assert issue_with(api, token).status_code == 401
    again = api.post("/admin/devices/kiosk-og/revoke", who="admin")
    assert again.status_code == 200 and again.get_json()["active"] is False

    audit = api.get("/admin/audit?target=device:kiosk-og", who="admin").get_json()
    assert [e["action"] for e in audit] == ["device.revoked", "device.created"]
    assert all(e["actor"] == "admin" for e in audit)
    assert audit[1]["before"] is None
    assert audit[1]["after"] == {"kind": "kiosk", "zone": "og1"}
    assert audit[0]["before"] == {"revoked": False} and audit[0]["after"] == {"revoked": True}
    assert token not in json.dumps(api.get("/admin/audit", who="admin").get_json())


@pytest.mark.parametrize("body, status, code", [
    ({"name": "kiosk-eingang", "kind": "kiosk"}, 409, "device_exists"),
    ({"name": "kiosk-neu", "kind": "kiosk", "zone": "mars"}, 422, "unknown_zone"),
    ({"name": "kiosk-neu", "kind": "toaster"}, 422, "invalid_kind"),
    ({"name": "a/b", "kind": "kiosk"}, 422, "invalid_device_name"),
    ({"name": "kiosk\x00", "kind": "kiosk"}, 422, "invalid_device_name"),
    ({"name": "x" * 81, "kind": "display"}, 422, "invalid_device_name"),
    ({"name": "   ", "kind": "kiosk"}, 422, "device_name_missing"),
    ({"name": "", "kind": "kiosk"}, 422, "validation_error"),
    ({"name": "kiosk-neu"}, 422, "validation_error"),
    ({"name": "kiosk-neu", "kind": "kiosk", "token": "mine"}, 422, "validation_error"),
    ({"name": 7, "kind": "kiosk"}, 422, "validation_error"),
])
def test_device_registration_refused_with_4xx_and_nothing_changed(app, api, body,
                                                                  status, code):
    api.token("admin")
    before = counts(app)
    r = api.post("/admin/devices", body, who="admin")
    assert r.status_code == status, r.get_json()
    assert r.get_json()["error"]["code"] == code
    assert counts(app) == before


def test_device_calls_refused_for_unknown_devices_and_bad_bodies(app, api):
    api.token("admin")
    before = counts(app)
    assert api.post("/admin/devices/nobody/revoke", who="admin").status_code == 404
    assert patch(api, "/admin/devices/nobody", {"zone": "eg"}).status_code == 404
    r = patch(api, "/admin/devices/board-eg", {"zone": "mars"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "zone"
    assert patch(api, "/admin/devices/board-eg", {}).status_code == 422
    assert patch(api, "/admin/devices/board-eg", {"zone": "eg", "kind": "kiosk"}
                 ).status_code == 422
    r = api.client.post("/api/v1/admin/devices", data="not json", headers=api.auth("admin"))
    assert r.status_code == 400
    assert counts(app) == before
    assert api.get("/admin/devices/board-eg", who="admin").get_json()["zone"] == "eg"


def test_a_moved_board_is_sent_to_its_new_zone(app, api):
    r = api.post("/admin/devices", {"name": "board-neu", "kind": "display", "zone": "eg"},
                 who="admin")
    assert r.status_code == 201
    board = Pages(app.test_client())
    assert board.set_up_device(r.get_json()["token"]).status_code == 302
    assert board.client.get("/display/").headers["Location"].endswith("/display/eg")
    r = patch(api, "/admin/devices/board-neu", {"zone": "og1"})
    assert r.status_code == 200 and r.get_json()["zone"] == "og1"
    assert board.client.get("/display/").headers["Location"].endswith("/display/og1")
    entry = api.get("/admin/audit?action=device.moved", who="leitung").get_json()[0]
    assert entry["before"] == {"zone": "eg"} and entry["after"] == {"zone": "og1"}
    unchanged = len(api.get("/admin/audit", who="admin").get_json())
    assert patch(api, "/admin/devices/board-neu", {"zone": "og1"}).status_code == 200
    assert len(api.get("/admin/audit", who="admin").get_json()) == unchanged


def test_roles_admin_changes_supervisor_reads_others_refused(api):
    for path in ("/admin/devices", "/admin/devices/board-eg", "/admin/settings"):
        assert api.get(path, who="leitung").status_code == 200, path
        assert api.get(path, who="mueller").status_code == 403, path
        assert api.get(path, who="kiosk").status_code == 403, path
        assert api.get(path).status_code == 401, path
    body = {"name": "kiosk-x", "kind": "kiosk"}
    assert api.post("/admin/devices", body, who="leitung").status_code == 403
    assert api.post("/admin/devices", body).status_code == 401
    assert api.post("/admin/devices/kiosk-eingang/revoke", who="leitung").status_code == 403
    assert api.post("/admin/devices/kiosk-eingang/revoke", who="kiosk").status_code == 403
    assert patch(api, "/admin/devices/board-eg", {"zone": "og1"}, who="leitung"
                 ).status_code == 403
    assert patch(api, "/admin/settings", {"RETENTION_DAYS": 30}, who="leitung"
                 ).status_code == 403
    assert api.client.patch("/api/v1/admin/settings", json={"RETENTION_DAYS": 30}
                            ).status_code == 401
    assert api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk").status_code == 201
    assert by_key(api)["RETENTION_DAYS"]["source"] == "default"


# --- settings --------------------------------------------------------------------------

def test_settings_listed_with_value_default_and_source(api):
    items = by_key(api, who="leitung")
    assert set(items) == SETTINGS
    idle = items["KIOSK_IDLE_SECONDS"]
    assert idle["value"] == idle["default"] == 60 and idle["source"] == "default"
    assert idle["from_environment"] is False and idle["stored_value"] is None
    assert idle["kind"] == "int" and (idle["low"], idle["high"]) == (10, 3600)
    assert items["BOOKING_REQUIRES_CONFIRMATION"]["value"] is False


def test_settings_patch_acts_at_the_next_request_and_is_audited(app, api, kiosk):
    slots = api.get("/slots?services=anmeldung").get_json()["slots"]
    assert book(api, slots[0], "viel@example.org").status_code == 201
    r = patch(api, "/admin/settings", {"MAX_ACTIVE_BOOKINGS_PER_EMAIL": 1,
                                       "KIOSK_IDLE_SECONDS": 90, "CENTRE_NAME": " Bürgeramt Nord "})
    assert r.status_code == 200, r.get_json()
    items = {s["key"]: s for s in r.get_json()}
    assert items["KIOSK_IDLE_SECONDS"]["value"] == 90
    assert items["KIOSK_IDLE_SECONDS"]["default"] == 60
    assert items["KIOSK_IDLE_SECONDS"]["source"] == "database"
    assert items["CENTRE_NAME"]["value"] == "Bürgeramt Nord"

    r = book(api, slots[1], "viel@example.org")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "too_many_bookings"
    page = kiosk.client.get("/kiosk/de/").text
    assert 'data-idle="90"' in page and "Bürgeramt Nord" in page

    entry = api.get("/admin/audit?action=settings.changed", who="admin").get_json()[0]
    assert entry["actor"] == "admin" and entry["target"] == "settings"
    assert entry["before"] == {"MAX_ACTIVE_BOOKINGS_PER_EMAIL": 2, "KIOSK_IDLE_SECONDS": 60,
                               "CENTRE_NAME": "Anlaufstelle"}
    assert entry["after"] == {"MAX_ACTIVE_BOOKINGS_PER_EMAIL": 1, "KIOSK_IDLE_SECONDS": 90,
                              "CENTRE_NAME": "Bürgeramt Nord"}
    entries = count(app, AuditEntry)
    assert patch(api, "/admin/settings", {"KIOSK_IDLE_SECONDS": 90}).status_code == 200
    assert count(app, AuditEntry) == entries           # nothing changed, nothing noted


def test_settings_patch_read_by_another_app_on_the_same_database(app, api):
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        kiosk = Pages(other.test_client())
        assert kiosk.set_up_device().status_code == 302
        assert 'data-idle="60"' in kiosk.client.get("/kiosk/de/").text
        assert patch(api, "/admin/settings", {"KIOSK_IDLE_SECONDS": 120}).status_code == 200
        assert 'data-idle="120"' in kiosk.client.get("/kiosk/de/").text
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("body, status, code", [
    ({"NO_SUCH_SETTING": 1}, 422, "unknown_setting"),
    ({"KIOSK_IDLE_SECONDS": 90, "SECRET_KEY": "x"}, 422, "unknown_setting"),
    ({"KIOSK_IDLE_SECONDS": "90"}, 422, "invalid_setting"),
    ({"KIOSK_IDLE_SECONDS": 9}, 422, "out_of_range"),
    ({"KIOSK_IDLE_SECONDS": 90, "RETENTION_DAYS": 0}, 422, "out_of_range"),
    ({"RETENTION_DAYS": True}, 422, "invalid_setting"),
    ({"RETENTION_DAYS": 30.5}, 422, "invalid_setting"),
    ({"BOOKING_REQUIRES_CONFIRMATION": 1}, 422, "invalid_setting"),
    ({"BOOKING_REQUIRES_CONFIRMATION": "on"}, 422, "invalid_setting"),
    ({"CENTRE_NAME": "  "}, 422, "invalid_setting"),
    ({"CENTRE_NAME": "x" * 121}, 422, "invalid_setting"),
    ({"CENTRE_NAME": "Amt\nNord"}, 422, "invalid_setting"),
    ({"CENTRE_NAME": "Amt\x00"}, 422, "invalid_setting"),
    ({"CENTRE_NAME": None}, 422, "invalid_setting"),
    ({}, 422, "no_settings"),
    ([{"KIOSK_IDLE_SECONDS": 90}], 400, "invalid_json"),
])
def test_settings_patch_refused_with_a_message_and_nothing_changed(app, api, body,
                                                                   status, code):
    listed = by_key(api)
    before = counts(app)
    r = patch(api, "/admin/settings", body)
    assert r.status_code == status, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert counts(app) == before and by_key(api) == listed


def test_the_environment_wins_and_the_api_says_so(app, api, monkeypatch):
    assert patch(api, "/admin/settings", {"KIOSK_IDLE_SECONDS": 90}).status_code == 200
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "45")
    # A process started with the variable set (its config read from the environment).
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        other_api = Api(other.test_client())
        idle = by_key(other_api)["KIOSK_IDLE_SECONDS"]
        assert idle["value"] == 45 and idle["source"] == "environment"
        assert idle["from_environment"] is True and idle["stored_value"] == 90
        assert by_key(other_api)["RETENTION_DAYS"]["source"] == "default"
        kiosk = Pages(other.test_client())
        assert kiosk.set_up_device().status_code == 302
        assert 'data-idle="45"' in kiosk.client.get("/kiosk/de/").text

        before = counts(app)
        r = patch(other_api, "/admin/settings", {"KIOSK_IDLE_SECONDS": 100, "RETENTION_DAYS": 30})
        assert r.status_code == 409
        error = r.get_json()["error"]
        assert error["code"] == "set_by_environment" and error["field"] == "KIOSK_IDLE_SECONDS"
        assert "environment" in error["message"]
        assert counts(app) == before
        assert by_key(other_api)["RETENTION_DAYS"]["source"] == "default"
        assert 'data-idle="45"' in kiosk.client.get("/kiosk/de/").text
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_openapi_documents_devices_and_settings(api):
    doc = api.get("/openapi.json").get_json()
    paths = doc["paths"]
    assert set(paths["/admin/devices"]) == {"get", "post"}
    assert set(paths["/admin/devices/{name}"]) == {"get", "patch"}
    assert "post" in paths["/admin/devices/{name}/revoke"]
    assert set(paths["/admin/settings"]) == {"get", "patch"}
    patch_schema = paths["/admin/settings"]["patch"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert set(patch_schema["properties"]) == SETTINGS
    assert patch_schema["properties"]["KIOSK_IDLE_SECONDS"]["minimum"] == 10
    assert "409" in paths["/admin/settings"]["patch"]["responses"]
    assert "token" not in doc["components"]["schemas"]["Device"]["properties"]


@contextmanager
def held_by_another_process(app, statement, **values):
    """A row inserted by another connection and not yet committed; committed when the
    body is done waiting (PostgreSQL: SQLite queues its writers, so no race there)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        pytest.skip("SQLite queues its writers: this race cannot happen there")
    engine = create_engine(url)
    try:
        with engine.connect() as other:
            tx = other.begin()
            other.execute(text(statement), values)
            yield engine
            tx.commit()
    finally:
        engine.dispose()


def wait_until_blocked(engine):
    """Until some other session of this database waits for a lock (our request's insert
    waiting for the other's uncommitted row)."""
    with engine.connect() as watch:
        for _ in range(200):
            if watch.execute(text("SELECT count(*) FROM pg_stat_activity WHERE "
                                  "datname = current_database() AND wait_event_type = 'Lock'")
                             ).scalar():
                return
            time.sleep(0.05)
    raise AssertionError("the request never waited for the other's row")


def in_background(call):
    result = {}
    thread = threading.Thread(target=lambda: result.update(response=call()))
    thread.start()
    return thread, result


def test_a_setting_first_stored_by_two_processes_at_once_is_not_a_500(app, api):
    api.token("admin")
    with held_by_another_process(
            app, "INSERT INTO settings (key, value) VALUES ('RETENTION_DAYS', CAST(:v AS json))",
            v=json.dumps({"value": 20})) as engine:
        thread, result = in_background(
            lambda: patch(api, "/admin/settings", {"RETENTION_DAYS": 30}))
        wait_until_blocked(engine)
    thread.join(30)
    assert result["response"].status_code == 200, result["response"].get_json()
    assert by_key(api)["RETENTION_DAYS"]["value"] == 30
    entry = api.get("/admin/audit?action=settings.changed", who="admin").get_json()[0]
    assert entry["before"] == {"RETENTION_DAYS": 20} and entry["after"] == {"RETENTION_DAYS": 30}


def test_a_device_name_registered_by_two_processes_at_once_is_409_not_500(app, api):
    api.token("admin")
    with held_by_another_process(
            app, "INSERT INTO devices (name, kind, created_at) VALUES ('kiosk-race', 'kiosk', "
                 "CURRENT_TIMESTAMP)") as engine:
        thread, result = in_background(lambda: api.post(
            "/admin/devices", {"name": "kiosk-race", "kind": "kiosk"}, who="admin"))
        wait_until_blocked(engine)
    thread.join(30)
    r = result["response"]
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "device_exists"
    assert not api.get("/admin/audit?target=device:kiosk-race", who="admin").get_json()
