"""The supervisor's figures, from a morning played with explicit times."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from queue_app.clock import centre_tz
from queue_app.extensions import db
from queue_app.models import Device, Staff
from queue_app.services import calling, desk_sessions, reports, ticket_actions, tickets
from queue_app.services.auth import Principal

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)  # 09:00 in Berlin


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def play_morning():
    """Four visitors for registration, one desk: waits 0, 10, 20; one no-show."""
    kiosk = Principal(device=db.session.scalar(select(Device).where(Device.kind == "kiosk")))
    clerk = db.session.scalar(select(Staff).where(Staff.username == "mueller"))
    issued = [tickets.issue_ticket(["anmeldung"], "de", None, at(0), kiosk)[0]
              for _ in range(4)]
    desk_sessions.sign_in("platz-1", clerk, ["anmeldung"], at(0))
    for n, ticket in enumerate(issued[:3]):
        called = calling.call_next("platz-1", clerk, at(10 * n))
        assert called["id"] == ticket["id"]
        ticket_actions.start(ticket["id"], clerk, at(10 * n))
        ticket_actions.finish(ticket["id"], clerk, at(10 * n + 8))
    calling.call_next("platz-1", clerk, at(70))
    ticket_actions.no_show(issued[3]["id"], clerk, at(75))
    desk_sessions.sign_out("platz-1", clerk, at(80))


def test_daily_report_per_service(app_ctx):
    play_morning()
    report = reports.daily(at(0).astimezone(centre_tz()).date())
    row = next(r for r in report["services"] if r["service"] == "anmeldung")
    assert (row["issued"], row["served"], row["no_show"]) == (4, 3, 1)
    # Waits were 0, 10, 20 and 70 minutes.
    assert (row["wait_p50_minutes"], row["wait_p90_minutes"]) == (10.0, 70.0)
    assert row["service_mean_minutes"] == 8.0
    other = next(r for r in report["services"] if r["service"] == "reisepass")
    assert (other["issued"], other["wait_p50_minutes"]) == (0, None)


def test_staffing_report_per_hour(app_ctx):
    play_morning()
    report = reports.staffing_by_hour(at(0).astimezone(centre_tz()).date(), centre_tz())
    rows = [r for r in report["hours"] if r["service"] == "anmeldung"]
    # 4 arrivals x 8 minutes = 0.53 Erlang; one desk serves 1 - 0.533 * e^-1.75 = 91 %
    # within the 30-minute target.
    assert rows[0] == {"hour": "2026-11-24T09:00:00+01:00", "service": "anmeldung",
                       "arrivals": 4, "desks_present": 1, "desks_needed": 1}
    assert rows[1]["hour"] == "2026-11-24T10:00:00+01:00"
    assert (rows[1]["arrivals"], rows[1]["desks_present"], rows[1]["desks_needed"]) == (0, 1, 0)
    assert len(rows) == 2


def test_staffing_report_asks_for_more_desks_when_the_queue_outgrows_them(app_ctx):
    kiosk = Principal(device=db.session.scalar(select(Device).where(Device.kind == "kiosk")))
    for n in range(40):
        tickets.issue_ticket(["anmeldung"], "de", None, at(n), kiosk)
    report = reports.staffing_by_hour(at(0).astimezone(centre_tz()).date(), centre_tz())
    row = next(r for r in report["hours"] if r["service"] == "anmeldung")
    # 40 an hour x 15 minutes (the service's duration, no real times yet) = 10 Erlangs.
    assert (row["arrivals"], row["desks_present"]) == (40, 0)
    assert row["desks_needed"] >= 11


def test_staffing_hours_follow_the_clock_change(app_ctx):
    day = datetime(2026, 10, 25).date()  # Europe/Berlin falls back: 25 hours
    from queue_app.services.reports import _hours
    hours = _hours(day, centre_tz())
    assert len(hours) == 25
    assert [h[0].isoformat() for h in hours[2:4]] == ["2026-10-25T02:00:00+02:00",
                                                      "2026-10-25T02:00:00+01:00"]


def test_report_api_roles_and_dates(api):
    assert api.get("/reports/daily?date=2026-11-24", who="leitung").status_code == 200
    assert api.get("/reports/staffing?date=2026-11-24", who="admin").status_code == 200
    assert api.get("/reports/daily?date=2026-11-24", who="mueller").status_code == 403
    assert api.get("/reports/daily?date=2026-11-24").status_code == 401
    bad = api.get("/reports/daily?date=24.11.2026", who="leitung")
    assert bad.status_code == 422
    assert bad.get_json()["error"]["code"] == "invalid_date"
    today = api.get("/reports/daily", who="leitung").get_json()
    assert {"issued", "served", "no_show", "wait_p50_minutes", "wait_p90_minutes",
            "service_mean_minutes"} <= today["services"][0].keys()
