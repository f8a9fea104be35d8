"""The admin API's places (offices, zones, desks) on SQLite and PostgreSQL: validated (4xx,
nothing changed), audited, refused while in use, and a desk's services followed at the
next desk sign-in."""
from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import (AuditEntry, CalendarVersion, Desk, DeskSession, Office,
                              OpeningRule, Zone)
from tests.integration.test_admin_api import patch

UPSTAIRS = {"code": "og2", "names": {"de": "2. Obergeschoss", "en": "Second floor"}}
DESK = {"code": "platz-20", "name": "Platz 20", "zone": "eg", "services": ["anmeldung"]}


def rows(app, model, *where):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return n


def delete(api, path, who="admin"):
    return api.delete(path, who=who)


def test_office_created_changed_deleted_each_audited(app, api):
    body = {"code": "standesamt", "names": {"de": "Standesamt", "en": "Registry office"}}
    r = api.post("/admin/offices", body, who="admin")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["services"] == [] and "tr" in r.get_json()["missing_names"]
    assert "standesamt" in [o["code"] for o in api.get("/admin/offices", who="leitung").get_json()]
    r = patch(api, "/admin/offices/standesamt",
              {"names": {"de": "Standesamt", "en": "Register office"}})
    assert r.status_code == 200 and r.get_json()["names"]["en"] == "Register office"
    entry = api.get("/admin/audit?target=office:", who="admin").get_json()[0]
    assert (entry["action"], entry["actor"]) == ("office.changed", "admin")
    assert entry["before"] == {"names": {"de": "Standesamt", "en": "Registry office"}}
    assert entry["after"] == {"names": {"de": "Standesamt", "en": "Register office"}}
    # Its calendar version exists from the start (slot search is keyed by it) …
    assert rows(app, CalendarVersion, CalendarVersion.office_id.in_(
        select(Office.id).where(Office.code == "standesamt"))) == 1
    # Its own calendar (opening rules, a closure) does not keep it from going.
    rules = {"rules": [{"weekdays": [0], "start": "08:00", "end": "12:00",
                        "parallel_desks": 1, "slot_minutes": 10}]}
    assert api.client.put("/api/v1/admin/offices/standesamt/opening-rules", json=rules,
                          headers=api.auth("admin")).status_code == 200
    assert api.post("/admin/closures", {"office": "standesamt", "date": "2027-01-04",
                                        "reason": "Inventur"}, who="admin").status_code == 201
    assert delete(api, "/admin/offices/standesamt").status_code == 204
    assert rows(app, OpeningRule) == rows(app, OpeningRule, OpeningRule.office_id.in_(
        select(Office.id)))
    assert "standesamt" not in [c["office"] for c in api.get("/admin/closures",
                                                             who="admin").get_json()]
    # … and its calendar version goes with the office.
    assert rows(app, Office, Office.code == "standesamt") == 0
    assert rows(app, CalendarVersion) == rows(app, Office)
    actions = [e["action"] for e in api.get("/admin/audit?target=office:standesamt",
                                            who="admin").get_json()]
    assert [a for a in actions if a.startswith("office.")] == [
        "office.deleted", "office.changed", "office.created"]


def test_office_rules_duplicate_409_bad_input_422_in_use_409_nothing_changed(app, api):
    before = rows(app, Office), rows(app, AuditEntry)
    body = {"code": "kfz", "names": {"de": "Noch eine"}}
    r = api.post("/admin/offices", body, who="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "office_exists"
    for bad in ({"code": "Bad Code", "names": {"de": "X"}}, {"code": "x", "names": {"en": "X"}},
                {"code": "x", "names": {"de": "X"}, "extra": 1}, {"code": "x"}):
        r = api.post("/admin/offices", bad, who="admin")
        assert r.status_code == 422, (bad, r.get_json())
    r = patch(api, "/admin/offices/kfz", {"names": None})
    assert r.status_code == 422
    r = delete(api, "/admin/offices/kfz")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "office_in_use"
    assert "service" in r.get_json()["error"]["message"]
    assert patch(api, "/admin/offices/nowhere", {"names": {"de": "X"}}).status_code == 404
    assert (rows(app, Office), rows(app, AuditEntry)) == before


def test_roles_admin_changes_supervisor_reads_clerk_neither(api):
    for path in ("/admin/offices", "/admin/zones", "/admin/desks", "/admin/desks/platz-1",
                 "/admin/zones/eg", "/admin/offices/kfz"):
        assert api.get(path, who="leitung").status_code == 200, path
        assert api.get(path, who="mueller").status_code == 403, path
        assert api.get(path).status_code == 401, path
    assert api.post("/admin/zones", UPSTAIRS, who="leitung").status_code == 403
    assert patch(api, "/admin/desks/platz-1", {"name": "X"}, who="leitung").status_code == 403
    assert delete(api, "/admin/desks/platz-1", who="leitung").status_code == 403


def test_zone_in_use_while_desks_or_devices_stand_there(app, api):
    assert api.post("/admin/zones", UPSTAIRS, who="admin").status_code == 201
    r = api.post("/admin/zones", UPSTAIRS, who="admin")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "zone_exists"
    r = delete(api, "/admin/zones/eg")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "zone_in_use"
    assert api.post("/admin/desks", {**DESK, "zone": "og2"}, who="admin").status_code == 201
    assert delete(api, "/admin/zones/og2").get_json()["error"]["code"] == "zone_in_use"
    assert patch(api, "/admin/desks/platz-20", {"zone": "eg"}).status_code == 200
    listed = {z["code"]: z for z in api.get("/admin/zones", who="admin").get_json()}
    assert listed["og2"]["desks"] == [] and "platz-20" in listed["eg"]["desks"]
    assert listed["eg"]["devices"] == ["board-eg", "kiosk-eingang"]
    assert delete(api, "/admin/zones/og2").status_code == 204
    assert rows(app, Zone, Zone.code == "og2") == 0
    assert api.get("/admin/audit?target=zone:og2", who="admin").get_json()[0]["action"] \
        == "zone.deleted"


def test_desk_validated_unknown_zone_or_service_422_duplicate_409_nothing_changed(app, api):
    before = rows(app, Desk), rows(app, AuditEntry)
    for bad, code in (({**DESK, "zone": "keller"}, "unknown_zone"),
                      ({**DESK, "services": ["nothing"]}, "unknown_service"),
                      ({**DESK, "code": "platz-1"}, "desk_exists"),
                      ({**DESK, "name": "  "}, "invalid_desk_name"),
                      ({**DESK, "services": "anmeldung"}, "validation_error"),
                      ({**DESK, "zone": None}, "validation_error")):
        r = api.post("/admin/desks", bad, who="admin")
        assert r.get_json()["error"]["code"] == code, (bad, r.get_json())
        assert r.status_code == (409 if code == "desk_exists" else 422)
    r = patch(api, "/admin/desks/platz-1", {"zone": "keller"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "zone"
    assert patch(api, "/admin/desks/platz-1", {"services": None}).status_code == 422
    assert (rows(app, Desk), rows(app, AuditEntry)) == before


def test_a_desk_offering_one_service_lets_a_clerk_choose_only_that(app, api):
    r = api.post("/admin/desks", DESK, who="admin")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["services"] == ["anmeldung"] and not r.get_json()["offers_all"]
    listed = {d["code"]: d for d in api.get("/desks", who="mueller").get_json()}
    assert listed["platz-20"]["services"] == ["anmeldung"]
    assert listed["platz-1"]["services"] == []   # none listed: every service
    # mueller may serve reisepass, but this desk does not offer it: 422, nothing opened.
    r = api.post("/desks/platz-20/session", {"services": ["anmeldung", "reisepass"]},
                 who="mueller")
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["code"] == "not_offered_here"
    assert r.get_json()["error"]["services"] == ["reisepass"]
    assert rows(app, DeskSession, DeskSession.ended_at.is_(None)) == 0
    # Outside the clerk's competencies stays 403 (the contract), wherever it is offered.
    r = api.post("/desks/platz-20/session", {"services": ["kfz-zulassung"]}, who="mueller")
    assert r.status_code == 403
    assert api.sign_in("platz-20", "mueller", "anmeldung")["services"] == ["anmeldung"]
    # A change of the desk's services acts at the next sign-in, like competencies.
    r = patch(api, "/admin/desks/platz-20", {"services": ["anmeldung", "reisepass"]})
    assert r.status_code == 200 and r.get_json()["signed_in"] == "mueller"
    assert api.sign_in("platz-20", "mueller", "anmeldung", "reisepass")["services"] == [
        "anmeldung", "reisepass"]
    entry = api.get("/admin/audit?target=desk:platz-20", who="admin").get_json()[0]
    assert entry["before"] == {"services": ["anmeldung"]}
    assert entry["after"] == {"services": ["anmeldung", "reisepass"]}


def test_desk_in_use_then_with_history_is_switched_off_not_deleted(app, api):
    api.issue("anmeldung")
    api.sign_in("platz-2", "mueller", "anmeldung")
    for change in ({"zone": "og1"}, {"active": False}):
        r = patch(api, "/admin/desks/platz-2", change)
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "desk_in_use", change
    r = delete(api, "/admin/desks/platz-2")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "desk_in_use"
    ticket = api.call_next("platz-2", "mueller").get_json()
    assert api.act(ticket["id"], "finish", "mueller").status_code == 200
    assert api.delete("/desks/platz-2/session", who="mueller").status_code == 204
    r = delete(api, "/admin/desks/platz-2")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "desk_has_history"
    r = patch(api, "/admin/desks/platz-2", {"active": False})
    assert r.status_code == 200 and r.get_json()["active"] is False
    assert "platz-2" not in [d["code"] for d in api.get("/desks", who="mueller").get_json()]
    r = api.post("/desks/platz-2/session", {"services": ["anmeldung"]}, who="mueller")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "desk_inactive"
    assert [d["code"] for d in api.get("/admin/desks?active=false", who="admin").get_json()] \
        == ["platz-2"]
    # The report of the day still names the desk the visitor was served at.
    assert rows(app, Desk, Desk.code == "platz-2") == 1
    # A desk nobody worked at is deleted.
    assert api.post("/admin/desks", DESK, who="admin").status_code == 201
    assert delete(api, "/admin/desks/platz-20").status_code == 204
    assert api.get("/admin/desks/platz-20", who="admin").status_code == 404


def test_a_service_a_desk_offers_alone_is_not_deleted_from_under_it(api):
    new = {"code": "fundbuero", "office": "buergerbuero", "prefix": "Z",
           "names": {"de": "Fundbüro"}, "duration_minutes": 5}
    assert api.post("/admin/services", new, who="admin").status_code == 201
    assert api.post("/admin/desks", {**DESK, "services": ["fundbuero"]},
                    who="admin").status_code == 201
    r = delete(api, "/admin/services/fundbuero")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "service_only_offer"
    assert patch(api, "/admin/desks/platz-20", {"services": ["fundbuero", "anmeldung"]}
                 ).status_code == 200
    assert delete(api, "/admin/services/fundbuero").status_code == 204
    assert api.get("/admin/desks/platz-20", who="admin").get_json()["services"] == [
        "anmeldung"]


def test_openapi_lists_the_places(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    for kind in ("offices", "zones", "desks"):
        assert {"get", "post"} <= set(paths[f"/admin/{kind}"])
        assert {"get", "patch", "delete"} <= set(paths[f"/admin/{kind}/{{code}}"])
    assert "services" in paths["/admin/desks"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["properties"]


def test_an_office_with_bookings_in_its_records_stays(api):
    """Its service may go once nothing is owed, but the office its appointments name stays."""
    assert api.post("/admin/offices", {"code": "standesamt", "names": {"de": "Standesamt"}},
                    who="admin").status_code == 201
    service = {"code": "trauung", "office": "standesamt", "prefix": "T",
               "names": {"de": "Trauung"}, "duration_minutes": 10}
    assert api.post("/admin/services", service, who="admin").status_code == 201
    rules = {"rules": [{"weekdays": list(range(7)), "start": "08:00", "end": "18:00",
                        "parallel_desks": 1, "slot_minutes": 10}]}
    r = api.client.put("/api/v1/admin/offices/standesamt/opening-rules", json=rules,
                       headers=api.auth("admin"))
    assert r.status_code == 200, r.get_json()
    slot = api.get("/slots?services=trauung").get_json()["slots"][0]
    booked = api.post("/appointments", {"services": ["trauung"], "start": slot["start"],
                                        "name": "R", "email": "r@example.org", "lang": "de",
                                        "consent": True})
    assert booked.status_code == 201, booked.get_json()
    r = delete(api, "/admin/services/trauung")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "service_booked"
    assert api.delete(f"/appointments/{booked.get_json()['token']}").status_code == 200
    assert delete(api, "/admin/services/trauung").status_code == 204
    r = delete(api, "/admin/offices/standesamt")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "office_has_history"
    assert api.get("/admin/offices/standesamt", who="admin").get_json()["services"] == []


def test_every_problem_of_a_desk_in_one_answer_first_as_before(app, api):
    r = api.post("/admin/desks", {**DESK, "zone": "keller", "services": ["nothing"]},
                 who="admin")
    assert r.status_code == 422
    error = r.get_json()["error"]
    # What clients read before stays: the first problem's code, message and field.
    assert (error["code"], error["field"]) == ("unknown_zone", "zone")
    assert error["message"] == "Unknown zone 'keller'."
    assert [(f["field"], f["code"]) for f in error["fields"]] == [
        ("zone", "unknown_zone"), ("services", "unknown_service")]
    assert all(f["message"] for f in error["fields"])
    assert rows(app, Desk, Desk.code == "platz-20") == 0
    # Malformed fields are all named too, in the same `fields` list beside `problems`.
    r = api.post("/admin/desks", {"code": "Bad Code", "name": "x" * 81, "zone": "eg"}, who="admin")
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "validation_error" and error["field"] == "code"
    assert [f["field"] for f in error["fields"]] == ["code", "name"]
    assert len(error["problems"]) == 2
