"""Changes made through one server process act at once in another: a deactivated clerk's
token or a revoked device's (cached by the other process) stops working, a new service is
on the other's list, new opening rules change the other's (cached) slot search, and a
changed setting is the other's at its next request."""
from datetime import datetime

import pytest

from tests.live import HttpApi


@pytest.fixture(params=["sqlite", "postgresql"])
def two_servers(request, tmp_path, start_server):
    url = (f"sqlite:///{tmp_path / 'shared.sqlite3'}" if request.param == "sqlite"
           else request.getfixturevalue("shared_postgres"))
    # The second starts once the first has created and seeded the database.
    first = start_server(url, AUTH_CACHE_SECONDS="600")
    return first, start_server(url, AUTH_CACHE_SECONDS="600")


def test_admin_change_in_one_process_acts_at_once_in_the_other(two_servers):
    a, b = two_servers
    admin_on_a, clerk_on_b = HttpApi(a.url), HttpApi(b.url)
    slots_before = clerk_on_b.get("/slots?services=kfz-zulassung").json()["slots"]
    assert slots_before
    r = clerk_on_b.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="mueller")
    assert r.status_code == 200          # b has now checked and cached mueller's token
    assert clerk_on_b.post("/desks/platz-1/call-next", who="mueller").status_code == 204

    r = admin_on_a.http.patch(f"{admin_on_a.base}/admin/staff/mueller", json={"active": False},
                              headers=admin_on_a.auth("admin"), timeout=30)
    assert r.status_code == 200, r.text
    assert clerk_on_b.post("/desks/platz-1/call-next", who="mueller").status_code == 401

    r = admin_on_a.post("/admin/services", {
        "code": "fundsachen", "office": "buergerbuero", "prefix": "Z",
        "names": {"de": "Fundbüro", "en": "Lost and found"}, "duration_minutes": 5,
        "bookable": False}, who="admin")
    assert r.status_code == 201, r.text
    assert "fundsachen" in {s["code"] for s in clerk_on_b.get("/services").json()}

    r = admin_on_a.http.put(f"{admin_on_a.base}/admin/offices/kfz/opening-rules", json={
        "rules": [{"weekdays": [5], "start": "09:00", "end": "10:00", "parallel_desks": 1,
                   "slot_minutes": 30}]}, headers=admin_on_a.auth("admin"), timeout=30)
    assert r.status_code == 200, r.text
    after = clerk_on_b.get("/slots?services=kfz-zulassung").json()["slots"]
    assert after != slots_before
    assert all(datetime.fromisoformat(s["start"]).weekday() == 5 for s in after)


def test_device_revoked_and_settings_changed_in_one_process_act_at_once_in_the_other(
        two_servers):
    a, b = two_servers
    admin_on_a, on_b = HttpApi(a.url), HttpApi(b.url)
    r = admin_on_a.post("/admin/devices", {"name": "kiosk-og", "kind": "kiosk", "zone": "og1"},
                        who="admin")
    assert r.status_code == 201, r.text
    kiosk = {"Authorization": f"Bearer {r.json()['token']}"}
    assert on_b.post("/tickets", {"services": ["anmeldung"]}, headers=kiosk).status_code == 201
    assert {d["name"]: d["active"] for d in on_b.get("/admin/devices", who="leitung").json()
            }["kiosk-og"] is True

    assert admin_on_a.post("/admin/devices/kiosk-og/revoke", who="admin").status_code == 200
    r = on_b.post("/tickets", {"services": ["anmeldung"]}, headers=kiosk)
    assert r.status_code == 401           # b had checked and cached the token
    assert {d["name"]: d["active"] for d in on_b.get("/admin/devices", who="leitung").json()
            }["kiosk-og"] is False

    slots = on_b.get("/slots?services=anmeldung").json()["slots"]
    resident = {"services": ["anmeldung"], "name": "Resident", "email": "viel@example.org",
                "lang": "de", "consent": True}
    assert on_b.post("/appointments", {**resident, "start": slots[0]["start"]}
                     ).status_code == 201
    r = admin_on_a.http.patch(f"{admin_on_a.base}/admin/settings",
                              json={"MAX_ACTIVE_BOOKINGS_PER_EMAIL": 1},
                              headers=admin_on_a.auth("admin"), timeout=30)
    assert r.status_code == 200, r.text
    r = on_b.post("/appointments", {**resident, "start": slots[1]["start"]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "too_many_bookings"
    cap = {s["key"]: s for s in on_b.get("/admin/settings", who="leitung").json()}[
        "MAX_ACTIVE_BOOKINGS_PER_EMAIL"]
    assert cap["value"] == 1 and cap["source"] == "database" and cap["default"] == 2
