"""The contract's insight calls: coverage, feedback once after the visit, its figures."""
from datetime import timedelta

from sqlalchemy import select, update

from queue_app.extensions import db
from queue_app.models import Feedback, Staff, Step, Visit, feedback_services


def finished(api, *services):
    """A ticket served to its end at platz-1 by the supervisor (who can serve anything)."""
    ticket = api.issue(*services)
    api.sign_in("platz-1", "leitung", *services)
    for _ in services:
        called = api.call_next("platz-1", "leitung").get_json()
        assert called["id"] == ticket["id"]
        assert api.act(ticket["id"], "start", "leitung").status_code == 200
        assert api.act(ticket["id"], "finish", "leitung").status_code == 200
    assert api.delete("/desks/platz-1/session", who="leitung").status_code == 204
    return ticket


def test_feedback_once_after_the_last_step(api, app):
    ticket = api.issue("anmeldung", "reisepass")
    early = api.post(f"/tickets/{ticket['id']}/feedback", {"rating": 5})
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "visit_not_ended"
    api.sign_in("platz-1", "leitung", "anmeldung", "reisepass")
    api.call_next("platz-1", "leitung")
    api.act(ticket["id"], "start", "leitung")
    api.act(ticket["id"], "finish", "leitung")
    # One step done, the next one waits: still not the end.
    assert api.post(f"/tickets/{ticket['id']}/feedback", {"rating": 4}).status_code == 409
    api.call_next("platz-1", "leitung")
    api.act(ticket["id"], "start", "leitung")
    api.act(ticket["id"], "finish", "leitung")
    first = api.post(f"/tickets/{ticket['id']}/feedback",
                     {"rating": 4, "comment": "  Schnell und freundlich  "})
    assert first.status_code == 201, first.get_json()
    assert first.get_json() == {"rating": 4, "comment": "Schnell und freundlich"}
    again = api.post(f"/tickets/{ticket['id']}/feedback", {"rating": 1})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "feedback_given"
    with app.app_context():
        rows = db.session.scalars(select(Feedback)).all()
        assert [(r.rating, r.comment) for r in rows] == [(4, "Schnell und freundlich")]
        assert sorted(s.code for s in rows[0].services) == ["anmeldung", "reisepass"]
        # Nothing on the rating leads back to the visit: no visit, no time, only the day.
        assert set(Feedback.__table__.columns.keys()) == {"id", "day", "rating", "comment"}
        assert set(feedback_services.columns.keys()) == {"feedback_id", "service_id"}


def test_feedback_bad_input_changes_nothing(api, app):
    ticket = finished(api, "anmeldung")
    for body in ({"rating": 0}, {"rating": 6}, {"rating": "5"}, {"rating": 4.5},
                 {"rating": True}, {}, {"rating": 3, "comment": "x" * 1001},
                 {"rating": 3, "name": "Eve"}):
        r = api.post(f"/tickets/{ticket['id']}/feedback", body)
        assert r.status_code == 422, body
        assert r.get_json()["error"]["code"] == "validation_error"
    assert api.post(f"/tickets/{ticket['id']}/feedback", ["rating"]).status_code == 400
    assert api.post("/tickets/nope/feedback", {"rating": 3}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Feedback.id)) is None
    assert api.post(f"/tickets/{ticket['id']}/feedback", {"rating": 3}).status_code == 201


def test_feedback_report_per_service_and_period(api, app):
    ratings = [("anmeldung", 5), ("anmeldung", 2), ("reisepass", 4)]
    for service, rating in ratings:
        ticket = finished(api, service)
        assert api.post(f"/tickets/{ticket['id']}/feedback",
                        {"rating": rating}).status_code == 201
    with app.app_context():
        today = db.session.scalar(select(Feedback.day))
        # An older rating outside the asked period.
        db.session.execute(update(Feedback).where(Feedback.rating == 2)
                           .values(day=today - timedelta(days=100)))
        db.session.commit()
    r = api.get(f"/reports/feedback?from={today}&to={today}", who="leitung")
    assert r.status_code == 200
    rows = {row["service"]: row for row in r.get_json()}
    assert rows["anmeldung"] == {"service": "anmeldung", "count": 1, "mean_rating": 5.0}
    assert rows["reisepass"] == {"service": "reisepass", "count": 1, "mean_rating": 4.0}
    assert rows["kfz-zulassung"] == {"service": "kfz-zulassung", "count": 0,
                                     "mean_rating": None}
    whole = {row["service"]: row for row in api.get(
        f"/reports/feedback?from={today - timedelta(days=100)}&to={today}", who="admin").get_json()}
    assert whole["anmeldung"] == {"service": "anmeldung", "count": 2, "mean_rating": 3.5}


def test_feedback_report_periods_and_roles(api):
    assert api.get("/reports/feedback", who="leitung").status_code == 200
    assert api.get("/reports/feedback", who="mueller").status_code == 403
    assert api.get("/reports/feedback").status_code == 401
    for query in ("from=2026-12-02&to=2026-12-01", "from=2024-01-01&to=2026-01-01",
                  "from=1.1.2026"):
        r = api.get(f"/reports/feedback?{query}", who="leitung")
        assert r.status_code == 422, query
        assert r.get_json()["error"]["code"] in ("invalid_period", "period_too_long",
                                                 "invalid_date")


def test_coverage_counts_active_competent_clerks(api, app):
    rows = {r["service"]: r for r in api.get("/reports/coverage", who="leitung").get_json()}
    # Registration: leitung, mueller, yilmaz.
    assert rows["anmeldung"] == {"service": "anmeldung", "competent_staff": 3,
                                 "at_risk": False,
                                 "staff": ["leitung", "mueller", "yilmaz"]}
    with app.app_context():
        db.session.execute(update(Staff).where(Staff.username.in_(["yilmaz", "schmidt"]))
                           .values(active=False))
        db.session.commit()
    rows = {r["service"]: r for r in api.get("/reports/coverage", who="admin").get_json()}
    # Vehicles were leitung, yilmaz, schmidt: one left.
    assert (rows["kfz-zulassung"]["competent_staff"], rows["kfz-zulassung"]["at_risk"]) == (
        1, True)
    assert rows["anmeldung"]["competent_staff"] == 2
    assert api.get("/reports/coverage", who="mueller").status_code == 403
    assert api.get("/reports/coverage").status_code == 401


def test_reports_read_through_the_staff_session_but_only_reads(client, pages, api):
    assert client.get("/api/v1/reports/coverage").status_code == 401
    assert pages.login("leitung").status_code == 302
    assert client.get("/api/v1/reports/coverage").status_code == 200
    assert client.get("/api/v1/reports/feedback").status_code == 200
    # The session is no key for changes through the API.
    assert client.post("/api/v1/desks/platz-1/session",
                       json={"services": ["anmeldung"]}).status_code == 401


def test_the_promised_wait_is_kept_at_issue(api, app):
    first = api.issue("anmeldung")
    second = api.issue("anmeldung")
    with app.app_context():
        promised = dict(db.session.execute(
            select(Visit.public_id, Step.promised_wait_minutes).join(Visit.steps)).all())
    assert promised[first["id"]] == first["estimated_wait_minutes"]
    assert promised[second["id"]] == second["estimated_wait_minutes"]
