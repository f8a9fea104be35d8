"""The durable outbox: mail is queued in the transaction of what it reports and sent by a
sender that retries with backoff.

Delivery claims due rows in a short transaction (pushing their next attempt a lease
ahead; SKIP LOCKED on PostgreSQL, so two senders never take the same row), talks SMTP
outside any transaction (SQLite's write lock is never held across the network), then
deletes what was delivered or schedules the next try. A sender that dies mid-way leaves
its rows to be taken again when the lease ends: a mail may then go twice, never not at all.
The scheduler's process runs the sender every MAIL_RETRY_SECONDS; every process also
starts a delivery right after a commit that queued mail (one pending per process).
"""
import logging
import smtplib
import threading
from datetime import timedelta
from email import message_from_bytes, policy

from flask import current_app
from sqlalchemy import select

from .. import events, mail
from ..async_mode import pass_turn
from ..database import in_write_transaction, is_sqlite, record, write_transaction
from ..domain import domain_events as ev
from ..domain.retry import gives_up, next_attempt
from ..extensions import db
from ..models import OutboundMail

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50


def enqueue(message, now):
    """Queue a composed message; in the caller's write transaction when one runs."""
    if not in_write_transaction():
        with write_transaction():
            return enqueue(message, now)
    db.session.add(OutboundMail(recipient=str(message["To"]), message=bytes(message),
                                created_at=now, next_attempt_at=now, attempts=0))
    record(ev.MailQueued(at=now))


def _claim(now, limit):
    with write_transaction():
        query = (select(OutboundMail).where(OutboundMail.next_attempt_at <= now)
                 .order_by(OutboundMail.id).limit(limit))
        if not is_sqlite():
            query = query.with_for_update(skip_locked=True)
        rows = db.session.scalars(query).all()
        for row in rows:
            row.next_attempt_at = now + LEASE
        return [(row.id, row.attempts, row.message) for row in rows]


def deliver_due(now, limit=BATCH):
    """Send what is due; returns (delivered, failed)."""
    claimed = _claim(now, limit)
    results = []
    for row_id, attempts, raw in claimed:
        # Parsing and writing a message is CPU (~3 ms): a turn of the hub for the requests
        # between messages, as a release's fifty mails otherwise went in one stretch.
        pass_turn()
        message = message_from_bytes(raw, policy=policy.SMTP)
        try:
            mail.deliver(message)
            results.append((row_id, None, message))
        except (OSError, smtplib.SMTPException) as exc:
            results.append((row_id, f"{type(exc).__name__}: {exc}"[:300], message))
    if not results:
        return 0, 0
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    with write_transaction():
        for row_id, error, message in results:
            row = db.session.get(OutboundMail, row_id)
            if row is None:
                continue
            if error is None:
                db.session.delete(row)
                continue
            row.attempts += 1
            row.last_error = error
            if gives_up(row.attempts, max_attempts):
                path = mail.write_to_outbox(message)
                log.error("mail to %s not sent after %d attempts (%s); kept in %s",
                          row.recipient, row.attempts, error, path)
                db.session.delete(row)
            else:
                row.next_attempt_at = next_attempt(row.attempts, now)
                log.warning("mail to %s not sent (%s); attempt %d of %d at %s",
                            row.recipient, error, row.attempts, max_attempts,
                            row.next_attempt_at.isoformat())
    failed = sum(1 for _, error, _ in results if error)
    return len(results) - failed, failed


def pending():
    return db.session.scalar(select(db.func.count(OutboundMail.id)))


class _Kick:
    """After a commit that queued mail: deliver now, one pending run per process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = None

    def request(self, app, now):
        if not app.config["MAIL_DELIVER_IN_BACKGROUND"]:
            deliver_due(now)
            return
        with self._lock:
            start = self._pending is None
            self._pending = max(now, self._pending or now)
        if start:
            events.in_background(self._run, app)

    def _run(self, app):
        with self._lock:
            now, self._pending = self._pending, None
        try:
            with app.app_context():
                deliver_due(now)
        except Exception:
            log.exception("delivering queued mail failed; the sender job tries again")


_kick = _Kick()


def after_commit(domain_events):
    queued = [e.at for e in domain_events if isinstance(e, ev.MailQueued)]
    if queued:
        _kick.request(current_app._get_current_object(), max(queued))
