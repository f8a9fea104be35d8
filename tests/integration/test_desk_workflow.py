"""A clerk's day through the v1 API: sign in, call, serve, route on, on both databases."""
from sqlalchemy import select

from queue_app.extensions import db
from queue_app.models import StepEvent, Visit


def events_for(app, number):
    with app.app_context():
        visit = db.session.scalar(select(Visit).where(Visit.number == number))
        step_ids = [s.id for s in visit.steps]
        return db.session.scalars(select(StepEvent.kind).where(StepEvent.step_id.in_(step_ids))
                                  .order_by(StepEvent.id)).all()


def test_desks_list(api):
    desks = api.get("/desks", who="mueller").get_json()
    assert len(desks) >= 12
    assert {"code", "name", "zone"} <= desks[0].keys()
    assert {d["zone"] for d in desks} == {"eg", "og1"}
    assert api.get("/desks").status_code == 401


def test_sign_in_outside_competencies_is_403(api):
    r = api.post("/desks/platz-1/session", {"services": ["kfz-zulassung"]}, who="mueller")
    assert r.status_code == 403
    assert r.get_json()["error"]["code"] == "not_competent"


def test_sign_in_bad_input(api):
    assert api.post("/desks/platz-99/session", {"services": ["anmeldung"]},
                    who="mueller").status_code == 404
    assert api.post("/desks/platz-1/session", {"services": []}, who="mueller").status_code == 422
    assert api.post("/desks/platz-1/session", {"services": ["nope"]},
                    who="mueller").status_code == 422
    assert api.post("/desks/platz-1/session", {"services": ["anmeldung"]},
                    who="admin").status_code == 403


def test_desk_taken_by_another_clerk_is_409(api):
    api.sign_in("platz-1", "mueller", "anmeldung")
    r = api.post("/desks/platz-1/session", {"services": ["anmeldung"]}, who="yilmaz")
    assert r.status_code == 409


def test_call_next_needs_sign_in_there(api):
    api.issue("anmeldung")
    assert api.call_next("platz-1", "mueller").status_code == 403
    api.sign_in("platz-2", "yilmaz", "anmeldung")
    assert api.call_next("platz-1", "yilmaz").status_code == 403


def test_call_next_with_nobody_waiting_is_204(api):
    api.sign_in("platz-1", "mueller", "anmeldung")
    r = api.call_next("platz-1", "mueller")
    assert r.status_code == 204
    assert r.data == b""


def test_call_next_returns_called_ticket_with_desk(api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung", "reisepass")
    r = api.call_next("platz-1", "mueller")
    assert r.status_code == 200
    body = r.get_json()
    assert (body["id"], body["status"], body["desk"]) == (t["id"], "called", "platz-1")
    assert body["call_reason"] == "longest_waiting"
    assert api.get(f"/tickets/{t['id']}").get_json()["desk"] == "platz-1"


def test_desk_only_gets_its_active_services(api):
    api.issue("reisepass")
    api.sign_in("platz-1", "mueller", "anmeldung")
    assert api.call_next("platz-1", "mueller").status_code == 204


def test_priority_visitor_first_and_reason_shown(api):
    api.issue("anmeldung")
    p = api.issue("anmeldung", priority="elderly")
    assert p["position"] == 1
    api.sign_in("platz-1", "mueller", "anmeldung")
    body = api.call_next("platz-1", "mueller").get_json()
    assert (body["id"], body["call_reason"]) == (p["id"], "priority")


def test_a_visit_walks_desk_to_desk_keeping_its_number(app, api):
    t = api.issue("anmeldung", "kfz-zulassung", lang="en")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.sign_in("platz-6", "schmidt", "kfz-zulassung")
    # The vehicle desk cannot take the visitor before registration is done.
    assert api.call_next("platz-6", "schmidt").status_code == 204
    assert api.call_next("platz-1", "mueller").status_code == 200
    assert api.act(t["id"], "start", "mueller").get_json()["status"] == "serving"
    after = api.act(t["id"], "finish", "mueller").get_json()
    assert (after["status"], after["current_service"], after["number"]) == (
        "waiting", "kfz-zulassung", t["number"])
    called = api.call_next("platz-6", "schmidt").get_json()
    assert (called["id"], called["desk"]) == (t["id"], "platz-6")
    done = api.act(t["id"], "finish", "schmidt").get_json()
    assert done["status"] == "done"
    assert done["current_service"] is None
    assert events_for(app, t["number"]) == ["queued", "called", "started", "finished", "queued",
                                            "called", "finished"]


def test_only_the_holding_clerk_may_act(api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.sign_in("platz-2", "yilmaz", "anmeldung")
    api.call_next("platz-1", "mueller")
    r = api.act(t["id"], "finish", "yilmaz")
    assert r.status_code == 403
    assert r.get_json()["error"]["code"] == "not_holding"
    assert api.act(t["id"], "finish", "kiosk").status_code == 403


def test_invalid_transitions_are_409_and_change_nothing(api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    api.act(t["id"], "start", "mueller")
    assert api.act(t["id"], "start", "mueller").status_code == 409
    assert api.act(t["id"], "recall", "mueller").status_code == 409
    assert api.act(t["id"], "no-show", "mueller").status_code == 409
    assert api.get(f"/tickets/{t['id']}").get_json()["status"] == "serving"


def test_desk_busy_until_current_visitor_is_done(api):
    first = api.issue("anmeldung")
    api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    r = api.call_next("platz-1", "mueller")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "desk_busy"
    api.act(first["id"], "finish", "mueller")
    assert api.call_next("platz-1", "mueller").status_code == 200


def test_recall_keeps_the_ticket_called(app, api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    body = api.act(t["id"], "recall", "mueller").get_json()
    assert (body["status"], body["desk"]) == ("called", "platz-1")
    assert events_for(app, t["number"]) == ["queued", "called", "recalled"]


def test_no_show_ends_the_visit_and_skips_later_steps(api):
    t = api.issue("anmeldung", "reisepass")
    api.sign_in("platz-1", "mueller", "anmeldung", "reisepass")
    api.call_next("platz-1", "mueller")
    body = api.act(t["id"], "no-show", "mueller").get_json()
    assert body["status"] == "no_show"
    assert [s["status"] for s in body["steps"]] == ["no_show", "skipped"]
    assert api.call_next("platz-1", "mueller").status_code == 204


def test_transfer_queues_for_another_service_keeping_number(api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.sign_in("platz-9", "nowak", "eat-abholung")
    api.call_next("platz-1", "mueller")
    r = api.act(t["id"], "transfer", "mueller", json={"service": "eat-abholung"})
    assert r.status_code == 200
    body = r.get_json()
    assert (body["status"], body["current_service"], body["number"]) == (
        "waiting", "eat-abholung", t["number"])
    assert [s["status"] for s in body["steps"]] == ["transferred", "waiting"]
    assert api.call_next("platz-9", "nowak").get_json()["id"] == t["id"]


def test_transfer_bad_input(api):
    t = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    assert api.act(t["id"], "transfer", "mueller", json={"service": "nope"}).status_code == 422
    assert api.act(t["id"], "transfer", "mueller", json={}).status_code == 422
    assert api.get(f"/tickets/{t['id']}").get_json()["status"] == "called"


def test_park_frees_the_desk_and_resume_restores_the_place(api):
    parked = api.issue("anmeldung")
    later = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    assert api.act(parked["id"], "park", "mueller").get_json()["status"] == "parked"
    # The desk is free again; parked visitors are not called.
    nxt = api.call_next("platz-1", "mueller").get_json()
    assert nxt["id"] == later["id"]
    api.act(later["id"], "finish", "mueller")
    assert api.act(parked["id"], "resume", "mueller").get_json()["status"] == "waiting"
    again = api.issue("anmeldung")
    assert api.get(f"/tickets/{parked['id']}").get_json()["position"] == 1
    assert api.call_next("platz-1", "mueller").get_json()["id"] == parked["id"]
    assert again["position"] == 2


def test_sign_out_and_idempotent(api):
    api.sign_in("platz-1", "mueller", "anmeldung")
    assert api.delete("/desks/platz-1/session", who="mueller").status_code == 204
    assert api.delete("/desks/platz-1/session", who="mueller").status_code == 204
    assert api.call_next("platz-1", "mueller").status_code == 403


def test_sign_out_refused_while_holding_a_visitor(api):
    api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.call_next("platz-1", "mueller")
    assert api.delete("/desks/platz-1/session", who="mueller").status_code == 409


def test_moving_desks_closes_the_old_session(api):
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.sign_in("platz-2", "mueller", "anmeldung")
    api.sign_in("platz-1", "yilmaz", "anmeldung")  # platz-1 is free again


def test_estimate_uses_open_desks(api):
    api.sign_in("platz-1", "mueller", "anmeldung")
    api.sign_in("platz-2", "yilmaz", "anmeldung")
    tickets = [api.issue("anmeldung") for _ in range(5)]
    # 15 minutes each, two desks: the fifth waits for four ahead / 2 desks.
    assert tickets[4]["estimated_wait_minutes"] == 30
