"""Online booking through the v1 API: slots, booking, capacity, rescheduling, cancelling,
calendar files, reservations and the per-address limit."""
from datetime import datetime, timedelta

import icalendar
from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import Appointment, SlotClaim
from tests.helpers import morning_slot


def person(n=0, **extra):
    return {"name": f"Resident {n}", "email": f"resident{n}@example.org", "lang": "de",
            "consent": True, **extra}


def first_slot(api, *services, skip=0):
    r = api.get(f"/slots?services={','.join(services)}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()["slots"][skip]


def book(api, services, start, n=0, **extra):
    return api.post("/appointments", {"services": list(services), "start": start,
                                      **person(n, **extra)})


def claims(app):
    with app.app_context():
        count = db.session.scalar(select(func.count(SlotClaim.id)))
        db.session.remove()
        return count


def test_slots_for_one_and_for_two_services(api):
    one = api.get("/slots?services=anmeldung").get_json()["slots"]
    two = api.get("/slots?services=anmeldung,personalausweis").get_json()["slots"]
    assert one and two
    for slot in two[:20]:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert end - start == timedelta(minutes=30)     # 15 + 15
        assert start.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_slot_search_refuses_what_cannot_be_booked(api):
    assert api.get("/slots?services=").status_code == 422
    assert api.get("/slots?services=nope").status_code == 422
    r = api.get("/slots?services=anmeldung,kfz-zulassung")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "not_combinable"
    assert api.get("/slots?services=anmeldung&from=tomorrow").status_code == 422
    r = api.get("/slots?services=anmeldung&from=2026-01-01&to=2026-12-31")
    assert r.get_json()["error"]["code"] == "range_too_long"


def test_book_returns_code_and_a_long_secret_token(app, api):
    slot = first_slot(api, "anmeldung")
    r = book(api, ["anmeldung"], slot["start"])
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["status"] == "booked" and body["start"] == slot["start"]
    assert len(body["code"]) == 7 and body["code"][3] == "-"
    assert len(body["token"]) >= 32          # 24 random bytes, base64url: 192 bits
    again = api.get(f"/appointments/{body['token']}").get_json()
    assert again["code"] == body["code"] and again["manage_url"] == body["manage_url"]
    assert api.get("/appointments/not-a-token").status_code == 404
    assert claims(app) == 2                   # 15 minutes on a 10-minute grid: two cells


def test_the_last_place_goes_once_and_the_loser_gets_alternatives(app, api):
    slot = morning_slot(api.get("/slots?services=anmeldung").get_json()["slots"])
    for n in range(3):                         # the registration office books 3 in parallel
        assert book(api, ["anmeldung"], slot["start"], n).status_code == 201
    r = book(api, ["anmeldung"], slot["start"], 9)
    assert r.status_code == 409
    error = r.get_json()["error"]
    assert error["code"] == "slot_taken" and len(error["next_slots"]) == 5
    assert all(s["start"] > slot["start"] for s in error["next_slots"])
    assert claims(app) == 6


def test_bad_bookings_change_nothing(app, api):
    slot = first_slot(api, "anmeldung")
    cases = [
        ({"consent": False}, 422),
        ({"email": "not-an-address"}, 422),
        ({"start": slot["start"][:19]}, 422),                 # no offset
        ({"start": slot["start"].replace(":00+", ":05+")}, 422),  # off the grid
        ({"services": ["anmeldung", "anmeldung"]}, 422),
        ({"services": ["anmeldung", "kfz-zulassung"]}, 422),
        ({"lang": "xx"}, 422),
        ({"consent": "yes"}, 422),
    ]
    for change, status in cases:
        body = {"services": ["anmeldung"], "start": slot["start"], **person(), **change}
        r = api.post("/appointments", body)
        assert r.status_code == status, (change, r.get_json())
    assert claims(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Appointment.id))) == 0
        db.session.remove()


def test_one_address_holds_at_most_two_appointments(api):
    assert book(api, ["anmeldung"], first_slot(api, "anmeldung", skip=0)["start"]).status_code \
        == 201
    assert book(api, ["anmeldung"], first_slot(api, "anmeldung", skip=3)["start"]).status_code \
        == 201
    r = book(api, ["anmeldung"], first_slot(api, "anmeldung", skip=6)["start"],
             email="RESIDENT0@example.org")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "too_many_bookings"


def _calendar(api, token):
    r = api.client.get(f"/api/v1/appointments/{token}/ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(r.data)


def test_calendar_file_follows_rfc_5545(api):
    slot = first_slot(api, "anmeldung", "personalausweis")
    body = book(api, ["anmeldung", "personalausweis"], slot["start"]).get_json()
    cal = _calendar(api, body["token"])
    assert cal["METHOD"] == "PUBLISH" and cal["VERSION"] == "2.0"
    event = cal.walk("VEVENT")[0]
    timezone_ids = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert timezone_ids == ["Europe/Berlin"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt == datetime.fromisoformat(slot["start"])
    assert event["DTEND"].dt == datetime.fromisoformat(slot["end"])
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert body["code"] in description and body["manage_url"] in description
    assert "Personalausweis oder Reisepass" in description      # what to bring, in German
    assert "Wohnsitz anmelden" in str(event["SUMMARY"])


def test_reschedule_keeps_the_uid_and_raises_the_sequence(app, api):
    first = first_slot(api, "anmeldung")
    body = book(api, ["anmeldung"], first["start"]).get_json()
    uid = str(_calendar(api, body["token"]).walk("VEVENT")[0]["UID"])
    later = first_slot(api, "anmeldung", skip=10)
    r = api.post(f"/appointments/{body['token']}/reschedule", {"start": later["start"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["start"] == later["start"] and r.get_json()["sequence"] == 1
    event = _calendar(api, body["token"]).walk("VEVENT")[0]
    assert str(event["UID"]) == uid and event["SEQUENCE"] == 1
    assert claims(app) == 2                     # the old place was given back
    r = api.post(f"/appointments/{body['token']}/reschedule", {"start": "2020-01-01T08:00:00"})
    assert r.status_code == 422


def test_cancel_is_idempotent_and_sends_a_cancelling_calendar(app, api):
    slot = first_slot(api, "anmeldung")
    body = book(api, ["anmeldung"], slot["start"]).get_json()
    first = api.delete(f"/appointments/{body['token']}")
    second = api.delete(f"/appointments/{body['token']}")
    assert first.status_code == second.status_code == 200
    assert first.get_json()["status"] == second.get_json()["status"] == "cancelled"
    assert second.get_json()["sequence"] == 1
    cal = _calendar(api, body["token"])
    event = cal.walk("VEVENT")[0]
    assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert claims(app) == 0
    assert first_slot(api, "anmeldung")["start"] == slot["start"]   # free again
    assert api.post(f"/appointments/{body['token']}/reschedule",
                    {"start": slot["start"]}).status_code == 409


def test_reservation_until_the_mailed_link_is_followed(app, api):
    app.config["BOOKING_REQUIRES_CONFIRMATION"] = True
    slot = first_slot(api, "anmeldung")
    body = book(api, ["anmeldung"], slot["start"]).get_json()
    assert body["status"] == "reserved" and body["reserved_until"]
    assert claims(app) == 2                    # held while reserved
    r = api.post(f"/appointments/{body['token']}/confirm")
    assert r.status_code == 200 and r.get_json()["status"] == "booked"


def test_a_lapsed_reservation_frees_its_place_and_cannot_be_confirmed(app, api):
    from queue_app.clock import now
    from queue_app.services.appointments import release_lapsed
    app.config["BOOKING_REQUIRES_CONFIRMATION"] = True
    slot = first_slot(api, "anmeldung")
    body = book(api, ["anmeldung"], slot["start"]).get_json()
    with app.app_context():
        assert release_lapsed(now() + timedelta(minutes=31)) == 1
        db.session.remove()
    assert claims(app) == 0
    r = api.post(f"/appointments/{body['token']}/confirm")
    assert r.status_code == 410
    assert api.get(f"/appointments/{body['token']}").get_json()["status"] == "expired"


def test_a_booking_in_another_process_refreshes_the_cached_search(app, api, database_url):
    from config.settings import TestConfig
    from queue_app import create_app
    from tests.helpers import Api

    slot = first_slot(api, "integrationskurs")                  # one place at a time
    assert first_slot(api, "integrationskurs") == slot          # now cached here
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                       MAIL_OUTBOX=app.config["MAIL_OUTBOX"])
    assert book(Api(other.test_client()), ["integrationskurs"], slot["start"]).status_code \
        == 201
    assert first_slot(api, "integrationskurs") != slot
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
