"""Issuing and reading tickets through the v1 API, on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import Step, TicketCounter, Visit


def count_visits(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Visit.id)))


def test_services_list_has_contract_fields_in_the_language_asked(api):
    r = api.get("/services?lang=ar")
    assert r.status_code == 200
    services = r.get_json()
    assert len(services) >= 12
    first = services[0]
    assert {"code", "name", "office", "prefix", "duration_minutes", "walk_in",
            "bookable"} <= first.keys()
    assert first["name"] == "تسجيل عنوان السكن"


def test_unsupported_language_is_a_422(api):
    r = api.get("/services?lang=xx")
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "unsupported_language"


def test_issue_ticket_returns_contract_fields(api):
    api.sign_in("platz-3", "mueller", "anmeldung")
    r = api.post("/tickets", {"services": ["anmeldung"], "lang": "tr"}, who="kiosk")
    assert r.status_code == 201
    t = r.get_json()
    assert {"id", "number", "status", "services", "position", "estimated_wait_minutes",
            "track_url"} <= t.keys()
    assert t["number"] == "A001"
    assert t["status"] == "waiting"
    assert t["services"] == ["anmeldung"]
    assert t["position"] == 1
    assert t["estimated_wait_minutes"] == 0
    assert t["track_url"].endswith(f"/t/{t['id']}")
    assert len(t["id"]) >= 16  # not guessable


def test_numbers_count_up_per_prefix(api):
    numbers = [api.issue("anmeldung")["number"] for _ in range(3)]
    numbers.append(api.issue("kfz-zulassung")["number"])
    numbers.append(api.issue("anmeldung", "kfz-zulassung")["number"])
    assert numbers == ["A001", "A002", "A003", "K001", "A004"]


def test_position_and_estimate_grow_with_the_queue(api):
    api.sign_in("platz-3", "mueller", "anmeldung")
    tickets = [api.issue("anmeldung") for _ in range(3)]
    assert [t["position"] for t in tickets] == [1, 2, 3]
    # No real service times yet: the service's 15 minutes per visitor, one open desk.
    assert [t["estimated_wait_minutes"] for t in tickets] == [0, 15, 30]


def test_get_ticket_by_id(api):
    t = api.issue("meldebescheinigung", lang="uk")
    r = api.get(f"/tickets/{t['id']}")
    assert r.status_code == 200
    body = r.get_json()
    assert {"id", "number", "status", "current_service", "position",
            "estimated_wait_minutes", "desk"} <= body.keys()
    assert body["current_service"] == "meldebescheinigung"
    assert body["desk"] is None


def test_unknown_ticket_is_404_in_contract_shape(api):
    r = api.get("/tickets/does-not-exist")
    assert r.status_code == 404
    assert r.get_json()["error"]["code"] == "ticket_not_found"


def test_idempotency_key_returns_the_same_ticket(app, api):
    first = api.post("/tickets", {"services": ["anmeldung"], "lang": "de"}, who="kiosk",
                     headers={"Idempotency-Key": "kiosk-1-abc"})
    again = api.post("/tickets", {"services": ["anmeldung"], "lang": "de"}, who="kiosk",
                     headers={"Idempotency-Key": "kiosk-1-abc"})
    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_visits(app) == 1
    # And the counter did not move: the next ticket is A002.
    assert api.issue("anmeldung")["number"] == "A002"


def test_idempotency_key_reused_for_another_request_is_refused(app, api):
    api.issue("anmeldung", key="k-1")
    r = api.post("/tickets", {"services": ["reisepass"], "lang": "de"}, who="kiosk",
                 headers={"Idempotency-Key": "k-1"})
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "idempotency_key_reused"
    assert count_visits(app) == 1


@pytest.mark.parametrize("body, status, code", [
    ({"services": []}, 422, "validation_error"),
    ({"services": ["anmeldung"] * 2}, 422, "validation_error"),
    ({"services": ["a", "b", "c", "d", "e", "f", "g"]}, 422, "validation_error"),
    ({"services": "anmeldung"}, 422, "validation_error"),
    ({"services": [1]}, 422, "validation_error"),
    ({"services": ["anmeldung"], "lang": "xx"}, 422, "validation_error"),
    ({"services": ["anmeldung"], "priority": "yes"}, 422, "validation_error"),
    ({"services": ["anmeldung"], "extra": 1}, 422, "validation_error"),
    ({"lang": "de"}, 422, "validation_error"),
    ({"services": ["no-such-service"]}, 422, "unknown_service"),
    ({"services": ["aufenthalt-verlaengern"]}, 422, "not_walk_in"),
    ([], 400, "invalid_json"),
])
def test_bad_ticket_requests_are_4xx_and_change_nothing(app, api, body, status, code):
    r = api.post("/tickets", body, who="kiosk")
    assert r.status_code == status, r.get_json()
    assert r.get_json()["error"]["code"] == code
    assert count_visits(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TicketCounter)) == 0


def test_malformed_json_is_400(api):
    r = api.client.post("/api/v1/tickets", data="{nope", content_type="application/json",
                        headers=api.auth("kiosk"))
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_json"


def test_oversized_body_is_413(api):
    r = api.client.post("/api/v1/tickets", data="x" * 70_000, content_type="application/json",
                        headers=api.auth("kiosk"))
    assert r.status_code == 413
    assert "error" in r.get_json()


def test_bad_idempotency_key_is_400(app, api):
    r = api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk",
                 headers={"Idempotency-Key": "x" * 200})
    assert r.status_code == 400
    assert count_visits(app) == 0


def test_issuing_needs_a_kiosk_or_staff(app, api):
    assert api.post("/tickets", {"services": ["anmeldung"]}).status_code == 401
    r = api.client.post("/api/v1/tickets", json={"services": ["anmeldung"]},
                        headers={"Authorization": "Bearer demo-board-eg-token"})
    assert r.status_code == 403
    assert api.post("/tickets", {"services": ["anmeldung"]}, who="mueller").status_code == 201


def test_multi_service_ticket_has_steps_in_order(app, api):
    t = api.issue("anmeldung", "kfz-zulassung", "willkommensberatung", lang="ar")
    assert t["services"] == ["anmeldung", "kfz-zulassung", "willkommensberatung"]
    assert [s["status"] for s in t["steps"]] == ["waiting", "pending", "pending"]
    assert t["steps"][1]["name"] == "تسجيل مركبة"
    with app.app_context():
        queued = db.session.scalars(select(Step.status).order_by(Step.position)).all()
    assert queued == ["waiting", "pending", "pending"]


def test_openapi_document_lists_the_contract(api):
    doc = api.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in ("/tickets", "/tickets/{id}", "/desks/{desk}/call-next",
                 "/desks/{desk}/session", "/auth/token", "/services", "/reports/daily",
                 "/reports/staffing"):
        assert path in doc["paths"]
    schema = doc["paths"]["/tickets"]["post"]["requestBody"]["content"]["application/json"]
    assert "services" in schema["schema"]["properties"]


def test_unknown_api_path_and_method_are_json(api):
    assert api.get("/nothing-here").get_json()["error"]["code"] == "not_found"
    r = api.client.put("/api/v1/tickets")
    assert r.status_code == 405
    assert r.get_json()["error"]["code"] == "method_not_allowed"


def test_no_estimate_while_no_open_desk_serves_the_step(api):
    """Before any desk opens, and after the last one serving it closes, nobody can be
    called: the estimate is null, not a promise of "very soon"."""
    before = api.issue("anmeldung")
    assert before["position"] == 1 and before["estimated_wait_minutes"] is None
    api.sign_in("platz-3", "mueller", "anmeldung")
    assert api.get(f"/tickets/{before['id']}").get_json()["estimated_wait_minutes"] == 0
    other = api.issue("kfz-zulassung")     # the open desk serves registration only
    assert other["estimated_wait_minutes"] is None
    assert api.delete("/desks/platz-3/session", who="mueller").status_code == 204
    assert api.get(f"/tickets/{before['id']}").get_json()["estimated_wait_minutes"] is None


def test_leave_the_queue_through_the_api(api):
    api.sign_in("platz-3", "mueller", "anmeldung")
    t = api.issue("anmeldung")
    behind = api.issue("anmeldung")
    r = api.post(f"/tickets/{t['id']}/leave")
    assert r.status_code == 200 and r.get_json()["status"] == "left"
    assert r.get_json()["position"] is None
    assert api.get(f"/tickets/{behind['id']}").get_json()["position"] == 1
    again = api.post(f"/tickets/{t['id']}/leave")
    assert again.status_code == 409
    assert api.post("/tickets/nope/leave").status_code == 404
    # A called visitor is at the desk already: the clerk decides, not the phone.
    api.call_next("platz-3", "mueller")
    assert api.post(f"/tickets/{behind['id']}/leave").status_code == 409


def test_the_estimate_follows_a_desk_at_once_with_the_inputs_kept(app, api):
    # As a server runs: the estimate's inputs are kept per process, and a desk that opens
    # or closes here reloads them in its own after-commit work, before the next ticket.
    app.config.update(STATS_CACHE_SECONDS=60)
    assert api.issue("anmeldung")["estimated_wait_minutes"] is None      # no desk open
    api.sign_in("platz-1", "mueller", "anmeldung")
    assert api.issue("anmeldung")["estimated_wait_minutes"] is not None
    assert api.delete("/desks/platz-1/session", who="mueller").status_code in (200, 204)
    assert api.issue("anmeldung")["estimated_wait_minutes"] is None
