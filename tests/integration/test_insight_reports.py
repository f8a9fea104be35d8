"""Every figure of the reports page against hand-computed values on small made-up days:
a morning at one desk, a day with no arrivals, the night the clocks go back."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from queue_app.extensions import db
from queue_app.models import Device, ReportDay, Staff, Step, Visit
from queue_app.services import (calling, desk_sessions, feedback, insight, rollup,
                                ticket_actions, tickets)
from queue_app.services.auth import Principal

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)  # Tuesday, 09:00 in Berlin
DAY = date(2026, 11, 24)
LATER = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def at(minutes, start=T0):
    return start + timedelta(minutes=minutes)


def kiosk():
    return Principal(device=db.session.scalar(select(Device).where(Device.kind == "kiosk")))


def staff(name):
    return db.session.scalar(select(Staff).where(Staff.username == name))


def play_morning():
    """Four visitors for registration, one desk 09:00-10:20: waits 0, 10, 20, 70 minutes,
    8 minutes each at the desk, the fourth a no-show. Promised 0, 10, 30, 40 minutes."""
    clerk = staff("mueller")
    issued = [tickets.issue_ticket(["anmeldung"], "de", None, at(0), kiosk())[0]
              for _ in range(4)]
    desk_sessions.sign_in("platz-1", clerk, ["anmeldung"], at(0))
    for n, ticket in enumerate(issued[:3]):
        assert calling.call_next("platz-1", clerk, at(10 * n))["id"] == ticket["id"]
        ticket_actions.start(ticket["id"], clerk, at(10 * n))
        ticket_actions.finish(ticket["id"], clerk, at(10 * n + 8))
    calling.call_next("platz-1", clerk, at(70))
    ticket_actions.no_show(issued[3]["id"], clerk, at(75))
    desk_sessions.sign_out("platz-1", clerk, at(80))
    for ticket, promised in zip(issued, (0, 10, 30, 40)):
        visit_id = db.session.scalar(select(Visit.id).where(Visit.public_id == ticket["id"]))
        db.session.execute(update(Step).where(Step.visit_id == visit_id)
                           .values(promised_wait_minutes=promised))
    db.session.commit()
    return issued


def report(first=DAY, last=DAY, **filters):
    return insight.period_report(first, last, LATER, **filters)


def row(rep, code):
    return next(r for r in rep["services"] if r["service"] == code)


@pytest.mark.parametrize("stored", [False, True])
def test_a_morning_at_one_desk(app_ctx, stored):
    play_morning()
    if stored:
        assert rollup.build(DAY, LATER) == 2   # registration at 09:00 and 10:00
        assert db.session.get(ReportDay, DAY) is not None
    rep = report()
    assert row(rep, "anmeldung") == {
        "service": "anmeldung", "target_wait_minutes": 30, "arrivals": 4, "served": 3,
        "no_shows": 1, "walk_ins": 4, "appointments": 0,
        # nearest rank of 0, 10, 20, 70: 2nd and 4th
        "wait_p50_minutes": 10, "wait_p90_minutes": 70,
        "within_target_share": 0.75, "service_mean_minutes": 8.0, "no_show_share": 0.25}
    assert row(rep, "reisepass")["arrivals"] == 0
    assert row(rep, "reisepass")["wait_p50_minutes"] is None
    # Tuesday 09:00 four arrivals; at 10:00 only the desk was open.
    assert rep["heat_map"] == [{"weekday": 2, "hour": 9, "arrivals": 4},
                               {"weekday": 2, "hour": 10, "arrivals": 0}]
    # 09:00: 4 arrivals x 8 minutes needs 1 desk, 1 was open; 10:00: none needed, 20 min open.
    # One day is 1/7 week: needed 7, open 9.33, gap 0 desk-hours a week.
    assert rep["staffing"] == {
        "service_level": 0.8, "needed_desk_hours_per_week": 7.0,
        "open_desk_hours_per_week": 9.3, "gap_desk_hours_per_week": 0.0,
        "by_hour": [{"hour": 9, "needed_per_day": 1.0, "open_per_day": 1.0},
                    {"hour": 10, "needed_per_day": 0.0, "open_per_day": 0.33}]}
    # Real minus promised: 0, 0, -10, +30 → median 0, three of four within ±10.
    assert rep["accuracy"] == {"count": 4, "median_error_minutes": 0,
                               "within_10_minutes_share": 0.75}
    assert rep["weeks"] == [{"week": "2026-11-23", "arrivals": 4, "wait_p50_minutes": 10,
                             "wait_p90_minutes": 70, "within_target_share": 0.75}]


def test_filters_by_office_and_service(app_ctx):
    play_morning()
    assert [r["service"] for r in report(service="anmeldung")["services"]] == ["anmeldung"]
    vehicles = report(office="kfz")
    assert "anmeldung" not in {r["service"] for r in vehicles["services"]}
    assert vehicles["total"]["arrivals"] == 0
    assert report(office="buergerbuero")["total"]["arrivals"] == 4


def test_a_day_with_no_arrivals(app_ctx):
    play_morning()
    empty = report(DAY - timedelta(days=1), DAY - timedelta(days=1))
    assert empty["total"] == {"arrivals": 0, "served": 0, "no_shows": 0, "walk_ins": 0,
                              "appointments": 0, "wait_p50_minutes": None,
                              "wait_p90_minutes": None, "within_target_share": None,
                              "service_mean_minutes": None, "no_show_share": None}
    assert empty["heat_map"] == [] and empty["weeks"] == []
    assert empty["staffing"]["gap_desk_hours_per_week"] == 0.0
    assert empty["accuracy"] == {"count": 0, "median_error_minutes": None,
                                 "within_10_minutes_share": None}
    assert rollup.build(DAY - timedelta(days=1), LATER) == 0


def test_a_queue_that_outgrows_the_desks_leaves_a_gap(app_ctx):
    for n in range(40):
        tickets.issue_ticket(["anmeldung"], "de", None, at(n), kiosk())
    staffing = report()["staffing"]
    # 40 an hour x 15 minutes (no real service times yet) = 10 Erlangs; Erlang C for 80 %
    # within 30 minutes: 10 desks give 0.0 (unstable), 11 give 1 - 0.682 e^-2 = 0.908.
    assert staffing["needed_desk_hours_per_week"] == 77.0
    assert staffing["open_desk_hours_per_week"] == 0.0
    assert staffing["gap_desk_hours_per_week"] == 77.0


def test_the_night_the_clocks_go_back(app_ctx):
    """25 October 2026: 02:00-03:00 comes twice. One visitor in each of the two hours, a
    desk open through both."""
    first = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)   # 02:30 summer time
    second = datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)  # 02:30 winter time
    clerk = staff("mueller")
    desk_sessions.sign_in("platz-1", clerk, ["anmeldung"], first - timedelta(minutes=30))
    for moment in (first, second):
        t = tickets.issue_ticket(["anmeldung"], "de", None, moment, kiosk())[0]
        calling.call_next("platz-1", clerk, moment + timedelta(minutes=5))
        ticket_actions.start(t["id"], clerk, moment + timedelta(minutes=5))
        ticket_actions.finish(t["id"], clerk, moment + timedelta(minutes=15))
    desk_sessions.sign_out("platz-1", clerk, second + timedelta(minutes=30))
    day = date(2026, 10, 25)
    assert rollup.build(day, LATER) == 2   # two cells, both "02:00" on the wall clock
    rep = report(day, day)
    assert rep["heat_map"] == [{"weekday": 7, "hour": 2, "arrivals": 2}]
    assert row(rep, "anmeldung")["wait_p50_minutes"] == 5
    assert row(rep, "anmeldung")["service_mean_minutes"] == 10.0
    # Each hour: 1 arrival needs 1 desk, 1 desk open 60 minutes → the wall-clock hour 2
    # had 2 desk-hours of each.
    assert rep["staffing"]["by_hour"] == [{"hour": 2, "needed_per_day": 2.0,
                                           "open_per_day": 2.0}]


def test_today_is_computed_on_demand_and_the_nightly_job_builds_the_past(app_ctx):
    play_morning()
    same_day = at(120)
    assert rollup.build_missing(same_day) == []   # nothing before today
    live = insight.period_report(DAY, DAY, same_day)
    assert row(live, "anmeldung")["arrivals"] == 4
    assert rollup.build_missing(LATER)[0] == DAY
    assert db.session.get(ReportDay, DAY) is not None
    assert row(report(), "anmeldung") == row(live, "anmeldung")


def test_feedback_per_service_and_week_with_comments(app_ctx):
    issued = play_morning()
    feedback.give(issued[0]["id"], 5, "Sehr freundlich", at(30))
    feedback.give(issued[1]["id"], 2, None, at(40))
    rep = report()
    assert rep["feedback"][0] == {"service": "anmeldung", "count": 2, "mean_rating": 3.5}
    assert rep["feedback_weeks"] == [{"week": "2026-11-23", "service": "anmeldung",
                                      "count": 2, "mean_rating": 3.5}]
    assert rep["comments"] == [{"day": "2026-11-24", "rating": 5,
                                "comment": "Sehr freundlich", "services": ["anmeldung"]}]


def test_summary_api_filters_and_errors(api):
    r = api.get("/reports/summary?from=2026-11-24&to=2026-11-24&office=kfz", who="leitung")
    assert r.status_code == 200
    assert r.get_json()["filters"] == {"office": "kfz", "service": None}
    for query, code in (("office=nope", "unknown_office"), ("service=nope", "unknown_service"),
                        ("from=2026-11-25&to=2026-11-24", "invalid_period")):
        bad = api.get(f"/reports/summary?{query}", who="leitung")
        assert bad.status_code == 422 and bad.get_json()["error"]["code"] == code
    assert api.get("/reports/summary", who="mueller").status_code == 403
