"""Fairness: rate limits, the waiting list and its offers, data retention."""
import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import delete, select

from queue_app.clock import now
from queue_app.extensions import db
from queue_app.models import Appointment, OpeningRule, Office, WaitlistEntry
from queue_app.services import appointments


@pytest.fixture
def scarce(app):
    """The integration office offers one 30-minute place a day, for the next three days."""
    app.config.update(BOOKING_HORIZON_DAYS=3, BOOKING_RELEASE_AT="", BOOKING_LEAD_MINUTES=0)
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "integration"))
        db.session.execute(delete(OpeningRule).where(OpeningRule.office_id == office.id))
        db.session.add(OpeningRule(office_id=office.id, weekdays=list(range(7)),
                                   start_time="23:00", end_time="23:30", parallel=1,
                                   slot_minutes=30, services=["willkommensberatung"]))
        db.session.commit()
        db.session.remove()


def _slots(api):
    return api.get("/slots?services=willkommensberatung").get_json()["slots"]


def _book_everything(api):
    tokens = []
    for n, slot in enumerate(_slots(api)):
        r = api.post("/appointments", {"services": ["willkommensberatung"], "start": slot["start"],
                                       "name": f"R{n}", "email": f"r{n}@example.org",
                                       "lang": "de", "consent": True})
        assert r.status_code == 201
        tokens.append(r.get_json()["token"])
    assert tokens and _slots(api) == []
    return tokens


def _mails(outbox):
    return [message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(outbox.glob("*.eml"))]


def _confirm_link(mail):
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"/manage/([^/\s]+)/confirm", body).group(1)


def test_a_freed_place_is_offered_to_the_waiting_list_in_turn(app, api, scarce, outbox):
    tokens = _book_everything(api)
    first = api.post("/waitlist", {"services": ["willkommensberatung"], "email": "w1@example.org",
                                   "lang": "tr", "consent": True})
    second = api.post("/waitlist", {"services": ["willkommensberatung"],
                                    "email": "w2@example.org", "lang": "de", "consent": True})
    assert first.status_code == second.status_code == 201
    assert (first.get_json()["position"], second.get_json()["position"]) == (1, 2)

    api.delete(f"/appointments/{tokens[0]}")
    offers = [m for m in _mails(outbox) if m["To"] == "w1@example.org"]
    assert len(offers) == 1 and offers[0]["Subject"] == "Sizin için bir randevu boşaldı"
    assert _slots(api) == []                       # the place is held for w1
    offer_token = _confirm_link(offers[0])
    assert api.get(f"/appointments/{offer_token}").get_json()["status"] == "reserved"

    # w1 lets the offer lapse: w2 gets it.
    with app.app_context():
        appointments.release_lapsed(now() + timedelta(minutes=61))
        statuses = dict(db.session.execute(select(WaitlistEntry.email, WaitlistEntry.status)).all())
        db.session.remove()
    assert statuses == {"w1@example.org": "lapsed", "w2@example.org": "offered"}
    offer = [m for m in _mails(outbox) if m["To"] == "w2@example.org"][0]
    r = api.post(f"/appointments/{_confirm_link(offer)}/confirm")
    assert r.status_code == 200 and r.get_json()["status"] == "booked"
    with app.app_context():
        assert db.session.scalar(select(WaitlistEntry.status).where(
            WaitlistEntry.email == "w2@example.org")) == "booked"
        db.session.remove()


def test_waitlist_needs_consent_and_an_address(api):
    body = {"services": ["willkommensberatung"], "email": "x@example.org", "lang": "de"}
    assert api.post("/waitlist", {**body, "consent": False}).status_code == 422
    assert api.post("/waitlist", {**body, "email": "nope", "consent": True}).status_code == 422


def test_rate_limit_on_booking_and_slot_search(app, api):
    app.config["RATELIMIT_SLOTS"] = "3 per minute"
    codes = [api.get("/slots?services=anmeldung").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = api.get("/slots?services=anmeldung")
    assert r.get_json()["error"]["code"] == "too_many_requests"
    assert int(r.headers["Retry-After"]) > 0


def test_personal_data_is_forgotten_after_the_retention_period(app, api, app_ctx):
    slot = api.get("/slots?services=anmeldung").get_json()["slots"][0]
    api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                               "name": "Old", "email": "old@example.org", "phone": "0711 123",
                               "lang": "de", "consent": True})
    assert appointments.forget_personal_data(now()) == 0
    assert appointments.forget_personal_data(now() + timedelta(days=80)) == 1
    appt = db.session.scalar(select(Appointment))
    assert (appt.name, appt.email, appt.phone) == (None, None, None)
    assert appt.services == ["anmeldung"] and appt.status == "booked"
