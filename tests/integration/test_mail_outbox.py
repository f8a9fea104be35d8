"""The durable outbox: a booking's mail is written in the booking's transaction and sent
by the sender with retries: SMTP down then up, a restart in between, two senders at once.
Real SMTP (aiosmtpd) on loopback."""
import threading
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select

from config.settings import TestConfig
from queue_app import create_app
from queue_app.clock import now
from queue_app.extensions import db
from queue_app.models import OutboundMail
from queue_app.services import mail_outbox
from queue_app.services.mail_outbox import deliver_due
from tests.integration.test_booking_mail import Inbox
from tests.live import free_port


def _book(api, email, n=0):
    slots = api.get("/slots?services=kfz-zulassung").get_json()["slots"]
    return api.post("/appointments", {"services": ["kfz-zulassung"],
                                      "start": slots[n]["start"], "name": "R",
                                      "email": email, "lang": "en", "consent": True})


def _rows(app):
    with app.app_context():
        rows = db.session.scalars(select(OutboundMail)).all()
        result = [(r.recipient, r.attempts, r.next_attempt_at) for r in rows]
        db.session.remove()
    return result


def test_smtp_down_then_up_across_a_restart_sends_the_mail_once(app, api, outbox,
                                                                database_url):
    port = free_port()
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_MAX_ATTEMPTS=5)
    r = _book(api, "down@example.org")
    assert r.status_code == 201
    code = r.get_json()["code"]
    # The try right after the commit failed: the mail waits in the table, not lost.
    [(to, attempts, due)] = _rows(app)
    assert (to, attempts) == ("down@example.org", 1)
    assert not list(outbox.glob("*.eml"))

    # "Restart": a new process's app on the same database, and the mail server is back.
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    again = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                       MAIL_OUTBOX=str(outbox), SMTP_URL=f"smtp://127.0.0.1:{port}",
                       MAIL_MAX_ATTEMPTS=5)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with again.app_context():
            assert deliver_due(due - timedelta(seconds=1)) == (0, 0)   # backoff: not yet
            assert deliver_due(due) == (1, 0)
            assert deliver_due(due + timedelta(hours=2)) == (0, 0)     # sent once only
            db.session.remove()
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.messages] == [f"Your appointment {code}"]
    assert _rows(again) == []


def test_a_refused_booking_queues_no_mail(app, api):
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", MAIL_MAX_ATTEMPTS=5)
    r = api.post("/appointments", {"services": ["kfz-zulassung"],
                                   "start": "2026-11-24T03:00:00+01:00", "name": "R",
                                   "email": "no@example.org", "lang": "en", "consent": True})
    assert r.status_code in (409, 422)
    assert _rows(app) == []


def test_given_up_mail_is_kept_in_the_folder(app, api, outbox):
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", MAIL_MAX_ATTEMPTS=2)
    assert _book(api, "gone@example.org").status_code == 201
    [(_, attempts, due)] = _rows(app)
    assert attempts == 1 and not list(outbox.glob("*.eml"))
    with app.app_context():
        assert deliver_due(due) == (0, 1)
        db.session.remove()
    assert _rows(app) == []
    assert len(list(outbox.glob("*.eml"))) == 1


def test_two_senders_at_once_send_every_mail_exactly_once(app, api):
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", MAIL_MAX_ATTEMPTS=5)
    addresses = [f"r{n}@example.org" for n in range(12)]
    for n, address in enumerate(addresses):
        assert _book(api, address, n).status_code == 201
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    later = now() + timedelta(hours=2)
    results = []

    def sender():
        with app.app_context():
            sent = 0
            while True:
                done, failed = deliver_due(later, limit=3)
                sent += done
                if not done and not failed:
                    break
            results.append(sent)
            db.session.remove()

    try:
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        controller.stop()
    assert sum(results) == len(addresses)
    assert sorted(m["To"] for m in inbox.messages) == sorted(addresses)
    with app.app_context():
        assert mail_outbox.pending() == 0
        db.session.remove()
