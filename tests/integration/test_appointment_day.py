"""The day of the appointment: check-in at the kiosk, its window, no-shows, reminders."""
import re
import secrets
from datetime import timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from queue_app.clock import now
from queue_app.extensions import db
from queue_app.models import Appointment, Office, Visit
from queue_app.services import appointments, check_in
from queue_app.services.auth import Principal, token_digest
from tests.helpers import csrf_token


def make_appointment(app, start, services=("anmeldung", "personalausweis"), status="booked",
                     lang="ar"):
    """An appointment straight in the database, at any time a test needs."""
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "buergerbuero"))
        seed = secrets.token_hex(16)
        appt = Appointment(
            code="".join(secrets.choice(appointments.CODE_ALPHABET) for _ in range(6)),
            token_seed=seed,
            token_hash=token_digest(appointments.manage_token(seed)),
            uid=f"{seed}@test", office_id=office.id, start=start, end=start + timedelta(
                minutes=30), services=list(services), name="Rami", email="rami@example.org",
            lang=lang, status=status, sequence=0, created_at=start - timedelta(days=3))
        db.session.add(appt)
        db.session.commit()
        code = appointments.format_code(appt.code)
        db.session.remove()
    return code


def test_check_in_in_the_window_makes_an_appointment_ticket(app, api):
    api.sign_in("platz-3", "mueller", "anmeldung")       # an open desk: a wait to promise
    start = now() + timedelta(minutes=10)
    code = make_appointment(app, start)
    r = api.post("/check-in", {"code": code.lower().replace("-", " ")}, who="kiosk")
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["source"] == "appointment" and ticket["lang"] == "ar"
    assert ticket["services"] == ["anmeldung", "personalausweis"]
    again = api.post("/check-in", {"code": code}, who="kiosk")
    assert again.status_code == 200 and again.get_json()["id"] == ticket["id"]
    # Placed as it was written, read back the same, and the wait it was told is kept.
    for field in ("position", "estimated_wait_minutes", "number"):
        assert again.get_json()[field] == ticket[field], field
    with app.app_context():
        visit = db.session.scalar(select(Visit).where(Visit.public_id == ticket["id"]))
        assert visit.appointment_at is not None
        first = min(visit.steps, key=lambda step: step.position)
        assert first.promised_wait_minutes == ticket["estimated_wait_minutes"] is not None
        db.session.remove()


def test_an_appointment_visitor_is_called_before_walk_ins(app, api):
    walk_in = api.issue("anmeldung")
    code = make_appointment(app, now() + timedelta(minutes=2))
    booked = api.post("/check-in", {"code": code}, who="kiosk").get_json()
    api.sign_in("platz-3", "mueller", "anmeldung")
    called = api.call_next("platz-3", "mueller").get_json()
    assert called["id"] == booked["id"] and called["call_reason"] == "appointment_due"
    assert api.get(f"/tickets/{walk_in['id']}").get_json()["status"] == "waiting"


def test_check_in_needs_a_kiosk_or_staff_and_a_known_code(app, api):
    assert api.post("/check-in", {"code": "ABC-DEF"}).status_code == 401
    r = api.post("/check-in", {"code": "ABC-DEF"}, who="kiosk")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "unknown_code"
    assert api.post("/check-in", {"code": 123}, who="kiosk").status_code == 422


@pytest.mark.parametrize("offset, code", [(timedelta(minutes=45), "too_early"),
                                          (timedelta(minutes=-20), "too_late")])
def test_check_in_outside_its_window(app, api, offset, code):
    appt = make_appointment(app, now() + offset)
    r = api.post("/check-in", {"code": appt}, who="kiosk")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == code
    with app.app_context():
        assert db.session.scalar(select(Visit.id)) is None
        db.session.remove()


def test_missed_appointments_become_no_shows(app, app_ctx):
    start = now() - timedelta(minutes=16)
    make_appointment(app, start)
    make_appointment(app, now() + timedelta(minutes=5))
    assert appointments.mark_no_shows(now()) == 1
    statuses = sorted(db.session.scalars(select(Appointment.status)))
    assert statuses == ["booked", "no_show"]


def test_kiosk_check_in_screen_prints_the_ticket(app, kiosk):
    code = make_appointment(app, now() + timedelta(minutes=5))
    page = kiosk.client.get("/kiosk/ar/check-in")
    r = kiosk.client.post("/kiosk/ar/check-in",
                          data={"csrf_token": csrf_token(page.text), "code": code})
    assert r.status_code == 303
    ticket = kiosk.client.get(r.location).text
    assert "A001" in ticket and "رقمك" in ticket


def test_kiosk_says_too_late_and_offers_a_walk_in_ticket(app, kiosk):
    code = make_appointment(app, now() - timedelta(minutes=30))
    page = kiosk.client.get("/kiosk/en/check-in")
    r = kiosk.client.post("/kiosk/en/check-in",
                          data={"csrf_token": csrf_token(page.text), "code": code})
    assert r.status_code == 409
    assert "Your appointment time has passed" in r.text
    assert "Take a ticket without an appointment" in r.text


def test_reminders_go_out_once_the_day_before(app, app_ctx, outbox):
    tomorrow = now() + timedelta(days=1)
    make_appointment(app, tomorrow, lang="de")
    assert appointments.send_reminders(now()) == 1
    assert appointments.send_reminders(now()) == 0
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in outbox.glob("*.eml")]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    code = appointments.format_code(db.session.scalar(select(Appointment.code)))
    assert mails[0]["Subject"] == f"Erinnerung: Ihr Termin {code} ist morgen"
    link = re.search(r"(http\S+/cant-come)", body).group(1)
    token = link.split("/manage/")[1].split("/")[0]
    assert appointments.get(token)["status"] == "booked"   # the link works, nothing changed


def test_check_in_service_is_safe_to_call_twice(app, app_ctx):
    code = make_appointment(app, now() + timedelta(minutes=1))
    kiosk = Principal()
    first, created = check_in.check_in(code, now(), kiosk)
    second, again = check_in.check_in(code, now(), kiosk)
    assert created and not again and first["id"] == second["id"]


def test_a_visitor_a_day_early_is_told_the_date_not_only_the_time(app, kiosk):
    tomorrow = now() + timedelta(days=1)
    code = make_appointment(app, tomorrow)
    page = kiosk.client.get("/kiosk/en/check-in")
    r = kiosk.client.post("/kiosk/en/check-in",
                          data={"csrf_token": csrf_token(page.text), "code": code})
    assert r.status_code == 409
    opens = tomorrow - timedelta(minutes=app.config["CHECK_IN_EARLY_MINUTES"])
    local = opens.astimezone(ZoneInfo(app.config["TIMEZONE"]))
    assert f"{local.month}/{local.day}/" in r.text      # "11/26/26, 12:30 PM", not "12:30 PM"
