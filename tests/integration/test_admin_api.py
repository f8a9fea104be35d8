"""The admin API ("the office") on SQLite and PostgreSQL: every change validated (4xx,
nothing changed), audited, and in effect at once."""
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import AuditEntry, Closure, OpeningRule, Service

NEW_SERVICE = {"code": "fuehrungszeugnis", "office": "buergerbuero", "prefix": "F",
               "names": {"de": "Führungszeugnis", "en": "Certificate of good conduct"},
               "duration_minutes": 10, "walk_in": True, "bookable": True,
               "target_wait_minutes": 20}


def count(app, model):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return n


def patch(api, path, body, who="admin"):
    return api.client.patch(f"/api/v1{path}", json=body, headers=api.auth(who))


def put(api, path, body, who="admin"):
    return api.client.put(f"/api/v1{path}", json=body, headers=api.auth(who))


def first_slot(api, service):
    r = api.get(f"/slots?services={service}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()["slots"][0]


def book(api, service, start, lang="de", n=0):
    r = api.post("/appointments", {"services": [service], "start": start,
                                   "name": f"Resident {n}", "email": f"r{n}@example.org",
                                   "lang": lang, "consent": True})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_new_service_is_offered_at_once_and_audited(app, api):
    r = api.post("/admin/services", NEW_SERVICE, who="admin")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["code"] == "fuehrungszeugnis" and "tr" in body["missing_names"]
    listed = {s["code"]: s for s in api.get("/services?lang=en").get_json()}
    assert listed["fuehrungszeugnis"]["name"] == "Certificate of good conduct"
    # bookable: its office's opening rules offer it, so slots exist
    assert api.get("/slots?services=fuehrungszeugnis").get_json()["slots"]
    audit = api.get("/admin/audit", who="admin").get_json()
    assert audit[0]["action"] == "service.created" and audit[0]["actor"] == "admin"
    assert audit[0]["target"] == "service:fuehrungszeugnis"
    assert audit[0]["before"] is None and audit[0]["after"]["prefix"] == "F"


def test_duplicate_code_409_unknown_office_422_nothing_changed(app, api):
    services, entries = count(app, Service), count(app, AuditEntry)
    r = api.post("/admin/services", {**NEW_SERVICE, "code": "anmeldung"}, who="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "service_exists"
    r = api.post("/admin/services", {**NEW_SERVICE, "office": "nowhere"}, who="admin")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "unknown_office"
    assert r.get_json()["error"]["field"] == "office"
    for bad in ({"prefix": "f1"}, {"names": {"en": "No German"}}, {"duration_minutes": 0},
                {"names": {"de": "x", "xx": "y"}}, {"walk_in": "yes"}, {"extra": 1}):
        r = api.post("/admin/services", {**NEW_SERVICE, **bad}, who="admin")
        assert r.status_code == 422, (bad, r.get_json())
    assert count(app, Service) == services and count(app, AuditEntry) == entries


def test_every_problem_of_a_service_and_of_settings_in_one_answer(app, api):
    services = count(app, Service)
    r = api.post("/admin/services", {**NEW_SERVICE, "names": {"en": "No German"},
                                     "office": "nowhere"}, who="admin")
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert (error["code"], error["field"]) == ("name_missing", "names")
    assert [f["field"] for f in error["fields"]] == ["names", "office"]
    r = api.post("/admin/services", {"code": "x"}, who="admin")
    assert {f["field"] for f in r.get_json()["error"]["fields"]} == {
        "office", "prefix", "names", "duration_minutes"}
    assert count(app, Service) == services
    r = patch(api, "/admin/settings", {"CENTRE_NAME": " ", "RETENTION_DAYS": 99999,
                                       "KIOSK_IDLE_SECONDS": 1})
    assert r.status_code == 422
    assert [f["field"] for f in r.get_json()["error"]["fields"]] == [
        "CENTRE_NAME", "RETENTION_DAYS", "KIOSK_IDLE_SECONDS"]


def test_roles_supervisor_reads_clerk_does_not(api):
    assert api.get("/admin/services", who="leitung").status_code == 200
    assert api.get("/admin/staff", who="leitung").status_code == 200
    assert api.post("/admin/services", NEW_SERVICE, who="leitung").status_code == 403
    assert api.get("/admin/services", who="mueller").status_code == 403
    assert api.get("/admin/services").status_code == 401
    assert api.get("/admin/services", who="kiosk").status_code == 403


def test_delete_refused_while_used_then_allowed_for_an_unused_one(app, api):
    api.issue("meldebescheinigung")
    r = api.delete("/admin/services/meldebescheinigung", who="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "service_in_use"
    book(api, "reisepass", first_slot(api, "reisepass")["start"])
    r = api.delete("/admin/services/reisepass", who="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "service_booked"
    assert api.post("/admin/services", NEW_SERVICE, who="admin").status_code == 201
    assert api.delete("/admin/services/fuehrungszeugnis", who="admin").status_code == 204
    assert api.delete("/admin/services/fuehrungszeugnis", who="admin").status_code == 404
    with app.app_context():
        assert all("fuehrungszeugnis" not in r.services
                   for r in db.session.scalars(select(OpeningRule)))
        db.session.remove()
    assert api.get("/admin/audit", who="admin").get_json()[0]["action"] == "service.deleted"


def test_inactive_service_offered_nowhere_but_its_waiting_visitors_are_served(api, kiosk):
    waiting = api.issue("anmeldung")
    r = patch(api, "/admin/services/anmeldung", {"active": False})
    assert r.status_code == 200 and r.get_json()["active"] is False
    assert "anmeldung" not in {s["code"] for s in api.get("/services").get_json()}
    r = api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk")
    assert r.status_code == 422
    assert api.get("/slots?services=anmeldung").status_code == 422
    assert "anmeldung" not in kiosk.client.get("/kiosk/de/").text
    api.sign_in("platz-1", "mueller", "anmeldung")
    called = api.call_next("platz-1", "mueller")
    assert called.status_code == 200 and called.get_json()["id"] == waiting["id"]
    audit = api.get("/admin/audit", who="leitung").get_json()[0]
    assert audit["before"] == {"active": True} and audit["after"] == {"active": False}


def test_competency_change_is_effective_at_the_next_desk_sign_in(api):
    r = api.post("/desks/platz-2/session", {"services": ["kfz-zulassung"]}, who="mueller")
    assert r.status_code == 403
    r = patch(api, "/admin/staff/mueller",
              {"competencies": ["anmeldung", "kfz-zulassung"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["competencies"] == ["anmeldung", "kfz-zulassung"]
    api.sign_in("platz-2", "mueller", "kfz-zulassung")
    patch(api, "/admin/staff/mueller", {"competencies": ["anmeldung"]})
    r = api.post("/desks/platz-2/session", {"services": ["kfz-zulassung"]}, who="mueller")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "not_competent"


def test_staff_created_listed_without_secrets_and_deactivated_token_dies_at_once(app, api):
    app.config["AUTH_CACHE_SECONDS"] = 600       # a cached token must not outlive the change
    r = api.post("/admin/staff", {"username": "neu", "name": "Nina Neu", "role": "clerk",
                                  "password": "geheim-genug", "competencies": ["anmeldung"]},
                 who="admin")
    assert r.status_code == 201, r.get_json()
    assert api.post("/admin/staff", {"username": "neu", "role": "clerk",
                                     "password": "geheim-genug"}, who="admin").status_code == 409
    assert api.post("/admin/staff", {"username": "x", "role": "boss",
                                     "password": "geheim-genug"}, who="admin").status_code == 422
    assert api.post("/admin/staff", {"username": "y", "role": "clerk",
                                     "password": "short"}, who="admin").status_code == 422
    listed = api.get("/admin/staff", who="admin").get_data(as_text=True)
    assert "password" not in listed and "scrypt" not in listed and "Nina Neu" in listed
    token = api.client.post("/api/v1/auth/token", json={
        "username": "neu", "password": "geheim-genug"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.post("/api/v1/desks/platz-3/session", json={"services": ["anmeldung"]},
                           headers=headers).status_code == 200
    assert patch(api, "/admin/staff/neu", {"active": False}).status_code == 200
    r = api.client.post("/api/v1/desks/platz-3/call-next", headers=headers)
    assert r.status_code == 401
    r = api.client.post("/api/v1/auth/token", json={"username": "neu",
                                                    "password": "geheim-genug"})
    assert r.status_code == 401


def test_last_admin_cannot_be_demoted(api):
    r = patch(api, "/admin/staff/admin", {"role": "clerk"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "last_admin"
    assert patch(api, "/admin/staff/nobody", {"active": False}).status_code == 404


def test_opening_rules_replaced_and_slot_search_follows_at_once(app, api):
    rules = api.get("/admin/offices/kfz/opening-rules", who="leitung").get_json()
    assert rules["office"] == "kfz" and len(rules["rules"]) == 2
    before = api.get("/slots?services=kfz-zulassung").get_json()["slots"]
    assert before
    overlapping = [{"weekdays": [0], "start": "08:00", "end": "12:00", "parallel_desks": 1,
                    "slot_minutes": 10},
                   {"weekdays": [0], "start": "11:00", "end": "13:00", "parallel_desks": 1,
                    "slot_minutes": 10}]
    r = put(api, "/admin/offices/kfz/opening-rules", {"rules": overlapping})
    assert r.status_code == 422
    bad_time = [{**overlapping[0], "end": "25:00"}]
    assert put(api, "/admin/offices/kfz/opening-rules", {"rules": bad_time}).status_code == 422
    assert put(api, "/admin/offices/nope/opening-rules", {"rules": []}).status_code == 404
    assert api.get("/slots?services=kfz-zulassung").get_json()["slots"] == before
    only_saturday = [{"weekdays": [5], "start": "09:00", "end": "10:00", "parallel_desks": 1,
                      "slot_minutes": 20}]
    r = put(api, "/admin/offices/kfz/opening-rules", {"rules": only_saturday})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["rules"][0]["services"] == ["kfz-zulassung", "halterwechsel"]
    after = api.get("/slots?services=kfz-zulassung").get_json()["slots"]
    assert after and all(datetime.fromisoformat(s["start"]).weekday() == 5 for s in after)
    assert {datetime.fromisoformat(s["start"]).strftime("%H:%M") for s in after} <= {
        "09:00", "09:20", "09:40"}
    entry = api.get("/admin/audit", who="admin").get_json()[0]
    assert entry["action"] == "opening_rules.replaced" and entry["target"] == "office:kfz"
    assert len(entry["before"]["rules"]) == 2 and len(entry["after"]["rules"]) == 1


def test_closure_removes_slots_lists_affected_and_mails_holders(app, api, outbox):
    slot = first_slot(api, "kfz-zulassung")
    day = slot["start"][:10]
    booked = book(api, "kfz-zulassung", slot["start"], lang="en")
    other = book(api, "anmeldung", first_slot(api, "anmeldung")["start"], n=1)
    closures = count(app, Closure)
    for bad in ({"office": "nope", "date": day}, {"office": "kfz", "date": "2020-01-01"},
                {"office": "kfz", "date": day, "from": "10:00"},
                {"office": "kfz", "date": day, "from": "12:00", "to": "10:00"},
                {"office": "kfz", "date": "tomorrow"}):
        r = api.post("/admin/closures", bad, who="admin")
        assert r.status_code == 422, (bad, r.get_json())
    assert count(app, Closure) == closures
    mails_before = len(list(outbox.glob("*.eml")))
    r = api.post("/admin/closures", {"office": "kfz", "date": day, "reason": "Umzug"},
                 who="admin")
    assert r.status_code == 201, r.get_json()
    closure = r.get_json()
    assert closure["affected"] == [booked["code"]]
    assert other["code"] not in closure["affected"]
    slots = api.get(f"/slots?services=kfz-zulassung&from={day}&to={day}").get_json()["slots"]
    assert slots == []
    mails = sorted(outbox.glob("*.eml"))[mails_before:]
    assert len(mails) == 1
    mail = message_from_bytes(mails[0].read_bytes(), policy=policy.default)
    assert mail["To"] == "r0@example.org"
    assert mail["Subject"] == f"Your appointment {booked['code']}: please choose a new time"
    text = mail.get_body(("plain",)).get_content()
    assert "choose a new time" in text and "/manage/" in text and "Umzug" in text
    listed = api.get("/admin/closures?office=kfz", who="leitung").get_json()
    assert any(c["id"] == closure["id"] for c in listed)
    assert api.delete(f"/admin/closures/{closure['id']}", who="admin").status_code == 204
    assert api.delete(f"/admin/closures/{closure['id']}", who="admin").status_code == 404
    slots = api.get(f"/slots?services=kfz-zulassung&from={day}&to={day}").get_json()["slots"]
    assert slots


def test_closure_for_some_hours_hits_only_appointments_inside(api):
    slot = first_slot(api, "anmeldung")
    booked = book(api, "anmeldung", slot["start"])
    start = datetime.fromisoformat(slot["start"])
    later = (start + timedelta(hours=1)).strftime("%H:%M")
    r = api.post("/admin/closures", {"office": "buergerbuero", "date": slot["start"][:10],
                                     "from": later, "to": "23:00"}, who="admin")
    assert r.status_code == 201 and r.get_json()["affected"] == []
    r = api.post("/admin/closures", {"date": slot["start"][:10],
                                     "from": start.strftime("%H:%M"), "to": later}, who="admin")
    assert r.status_code == 201 and r.get_json()["affected"] == [booked["code"]]
    assert r.get_json()["office"] is None


def test_audit_since_filter_and_order(api):
    assert api.get("/admin/audit?since=yesterday", who="admin").status_code == 422
    assert api.get("/admin/audit?since=2026-11-24T09:00:00", who="admin").status_code == 422
    patch(api, "/admin/services/kfz-abmeldung", {"target_wait_minutes": 25})
    patch(api, "/admin/staff/schmidt", {"role": "supervisor"})
    since = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    entries = api.client.get("/api/v1/admin/audit", query_string={"since": since},
                             headers=api.auth("admin")).get_json()
    assert [e["action"] for e in entries] == ["staff.changed", "service.changed"]
    assert entries[0]["before"] == {"role": "clerk"} and entries[0]["after"] == {
        "role": "supervisor"}
    future = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    assert api.client.get("/api/v1/admin/audit", query_string={"since": future},
                          headers=api.auth("admin")).get_json() == []
