"""Capacity-aware intake through the API and the kiosk: when the desks still open today
cannot serve one more visitor before closing, 409 day_full with the next free slots."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_app.clock import centre_tz
from queue_app.services import intake

# The app's clock stands here (FIXED_NOW): a closing time later today exists at any hour.
TEN_ON_TUESDAY = datetime(2031, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def _closing_in(app, minutes):
    """Ten o'clock on a Tuesday; the walk-in desks close `minutes` later."""
    app.config["FIXED_NOW"] = TEN_ON_TUESDAY
    app.config["WALK_IN_CLOSES_AT"] = (TEN_ON_TUESDAY + timedelta(minutes=minutes)).strftime(
        "%H:%M")


def test_api_answers_day_full_with_the_next_free_slots(app, api):
    _closing_in(app, 40)      # one desk, 15 minutes each: two visitors fit, not three
    api.sign_in("platz-3", "mueller", "anmeldung")
    assert api.issue("anmeldung")["estimated_wait_minutes"] == 0
    api.issue("anmeldung")
    r = api.post("/tickets", {"services": ["anmeldung"], "lang": "de"}, who="kiosk")
    assert r.status_code == 409
    body = r.get_json()
    assert body["error"]["code"] == "day_full" and body["error"]["message"]
    assert body["next_slots"] and {"start", "end"} <= body["next_slots"][0].keys()
    assert datetime.fromisoformat(body["next_slots"][0]["start"]) > TEN_ON_TUESDAY
    # Another service with its own desks is not affected; a second desk makes room.
    api.sign_in("platz-4", "yilmaz", "anmeldung")
    assert api.post("/tickets", {"services": ["anmeldung"], "lang": "de"},
                    who="kiosk").status_code == 201


def test_no_open_desk_still_issues_with_no_estimate(app, api):
    _closing_in(app, 10)
    t = api.issue("anmeldung")
    assert t["estimated_wait_minutes"] is None


def test_office_hours_give_the_closing_time(app_ctx):
    from queue_app.services.catalog import services_by_code
    app_ctx.config["WALK_IN_CLOSES_AT"] = ""
    (service,) = services_by_code(["anmeldung"])
    tz = centre_tz()
    tuesday = datetime(2031, 12, 2, 9, 0, tzinfo=tz)        # demo hours: 08:00–12:00
    assert intake.walk_in_closing(service, tuesday) == datetime.combine(
        tuesday.date(), time(12), tz)
    thursday = datetime(2031, 12, 4, 9, 0, tzinfo=tz)       # demo hours: 13:00–18:00
    assert intake.walk_in_closing(service, thursday).hour == 18
    assert intake.walk_in_closing(service, datetime(2031, 12, 6, 9, tzinfo=tz)) is None
    app_ctx.config["WALK_IN_CLOSES_AT"] = "off"
    assert intake.walk_in_closing(service, tuesday) is None


def test_made_up_day_refuses_at_eleven_forty(app_ctx):
    """Tuesday 2 December 2031, desks close at 12:00 by the office's hours: one registration
    desk open, two waiting, 15 minutes each. At 11:00 a third fits (done 11:45); at 11:40 a
    third would be done at 12:25: refused, with Wednesday morning's free times instead."""
    from sqlalchemy import select

    from queue_app.extensions import db
    from queue_app.models import Staff
    from queue_app.services import auth, desk_sessions, tickets
    from tests.helpers import KIOSK_TOKEN

    app_ctx.config["WALK_IN_CLOSES_AT"] = ""
    tz = centre_tz()
    eleven = datetime(2031, 12, 2, 11, 0, tzinfo=tz)
    kiosk = auth.authenticate(KIOSK_TOKEN, eleven)
    clerk = db.session.scalar(select(Staff).where(Staff.username == "mueller"))
    desk_sessions.sign_in("platz-3", clerk, ["anmeldung"], eleven)
    for _ in range(2):
        tickets.issue_ticket(["anmeldung"], "de", None, eleven, kiosk)
    third, _ = tickets.issue_ticket(["anmeldung"], "de", None, eleven, kiosk)
    assert third["position"] == 3 and third["estimated_wait_minutes"] == 30
    with pytest.raises(intake.DayFull) as refused:
        tickets.issue_ticket(["anmeldung"], "de", None, eleven + timedelta(minutes=40), kiosk)
    slots = refused.value.details["next_slots"]
    assert len(slots) == intake.NEXT_SLOTS
    first = datetime.fromisoformat(slots[0]["start"]).astimezone(tz)
    assert (first.date(), first.time()) == (datetime(2031, 12, 3).date(), time(8, 0))
    # No desk serves certificates yet: issued, its estimate says so.
    tickets.issue_ticket(["meldebescheinigung"], "de", None, eleven + timedelta(minutes=40),
                         kiosk)


def test_kiosk_offers_the_next_appointments_instead_of_a_ticket(app, api, kiosk):
    _closing_in(app, 20)
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.issue("anmeldung")
    page = kiosk.take_ticket("en", "anmeldung")
    assert page.status_code == 409
    assert "No more tickets today" in page.text
    assert "The desks for Register your address cannot serve anyone else" in page.text
    assert page.text.count("<time datetime=") == intake.NEXT_SLOTS
    assert 'role="img"' in page.text and "/book/times?service=anmeldung&amp;lang=en" in page.text
    german = kiosk.take_ticket("de", "anmeldung")
    assert "Heute keine Wartemarken mehr" in german.text
