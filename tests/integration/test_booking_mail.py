"""Mails through a real SMTP server on loopback (aiosmtpd), calendar files parsed back."""
from email import message_from_bytes, policy

import icalendar
import pytest
from aiosmtpd.controller import Controller

from tests.live import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


def _calendar(message):
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return part, icalendar.Calendar.from_ical(part.get_content())


def test_confirmation_reschedule_and_cancellation_in_the_residents_language(api, smtp):
    slots = api.get("/slots?services=kfz-zulassung").get_json()["slots"]
    r = api.post("/appointments", {"services": ["kfz-zulassung"], "start": slots[0]["start"],
                                   "name": "Oksana", "email": "oksana@example.org",
                                   "lang": "uk", "consent": True})
    token, code = r.get_json()["token"], r.get_json()["code"]
    api.post(f"/appointments/{token}/reschedule", {"start": slots[5]["start"]})
    api.delete(f"/appointments/{token}")

    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects == [f"Ваш запис {code}", f"Ваш запис {code} перенесено",
                        f"Ваш запис {code} скасовано"]
    assert all(m["To"] == "oksana@example.org" for m in smtp.messages)
    body = smtp.messages[0].get_body(("plain",)).get_content()
    assert "Добрий день, Oksana," in body and code in body and f"/manage/{token}" in body
    assert "Свідоцтво про реєстрацію, частини I і II" in body       # what to bring

    methods, sequences, uids = [], [], set()
    for message in smtp.messages:
        part, cal = _calendar(message)
        event = cal.walk("VEVENT")[0]
        methods.append(str(cal["METHOD"]))
        assert part.get_param("method") == str(cal["METHOD"])
        sequences.append(int(event["SEQUENCE"]))
        uids.add(str(event["UID"]))
    assert methods == ["PUBLISH", "PUBLISH", "CANCEL"]
    assert sequences == [0, 1, 2] and len(uids) == 1
    moved = _calendar(smtp.messages[1])[1].walk("VEVENT")[0]
    assert moved["DTSTART"].dt.isoformat() == slots[5]["start"]


def test_an_unreachable_mail_server_loses_nothing(app, api, outbox):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"      # nobody listens
    slot = api.get("/slots?services=anmeldung").get_json()["slots"][0]
    r = api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                   "name": "A", "email": "a@example.org", "lang": "en",
                                   "consent": True})
    assert r.status_code == 201
    kept = list(outbox.glob("*.eml"))
    assert len(kept) == 1
    message = message_from_bytes(kept[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == f"Your appointment {r.get_json()['code']}"
    assert message["Date"] is not None          # RFC 5322 requires it


def test_the_booking_mail_is_composed_before_the_write_lock_is_taken(app, api, smtp):
    """Composing a mail is ~10 ms of CPU: inside the booking's write transaction it held
    SQLite's write lock (and the event loop) that long, the building's requests waiting."""
    from flask import template_rendered

    from queue_app.database import in_write_transaction

    rendered = []

    def seen(_sender, template, **_extra):
        if template.name.startswith("mail/"):
            rendered.append((template.name, in_write_transaction()))
    slot = api.get("/slots?services=anmeldung").get_json()["slots"][0]
    with template_rendered.connected_to(seen, app):
        r = api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                       "name": "Amal", "email": "amal@example.org",
                                       "lang": "ar", "consent": True})
    assert r.status_code == 201
    assert rendered == [("mail/booked.txt", False)]
    # Made from the appointment as it turned out: its code, its link, its time.
    booking = r.get_json()
    [message] = smtp.messages
    assert booking["code"] in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert f"/manage/{booking['token']}" in body
    _, cal = _calendar(message)
    assert cal.walk("VEVENT")[0]["DTSTART"].dt.isoformat() == booking["start"]


def test_a_mail_composed_for_another_view_is_composed_again(app, api, smtp):
    """If the appointment came out other than planned (a code drawn twice meanwhile), the
    mail queued is the one for what was booked."""
    from queue_app.database import write_transaction
    from queue_app.services import appointments, mail_outbox, notifications

    slot = api.get("/slots?services=anmeldung").get_json()["slots"][0]
    token = api.post("/appointments", {
        "services": ["anmeldung"], "start": slot["start"], "name": "B",
        "email": "b@example.org", "lang": "en", "consent": True}).get_json()["token"]
    smtp.messages.clear()
    with app.test_request_context():
        view = appointments.get(token)
        planned = notifications.booking_mail(dict(view, code="ZZZ-ZZZ"))
        with write_transaction():
            notifications.booked(view, planned)
        mail_outbox.deliver_due(view["start_at"])
    [message] = smtp.messages
    assert message["Subject"] == f"Your appointment {view['code']}"
