"""Outgoing mail: through SMTP_URL when set, else into the outbox folder as .eml files.

Services queue mail in the database (services.mail_outbox), whose sender calls `deliver`;
a mail it gives up on is written to the outbox folder, so nothing a resident did is lost.
"""
import logging
import smtplib
import time
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

log = logging.getLogger(__name__)


def compose(to, subject, body, lang, attachment=None, method=None):
    message = EmailMessage()
    cfg = current_app.config
    message["From"] = formataddr((cfg["CENTRE_NAME"], cfg["MAIL_FROM"]))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=cfg["MAIL_FROM"].rpartition("@")[2] or None)
    message["Content-Language"] = lang
    message.set_content(body)
    if attachment is not None:
        # text/calendar with the method lets mail programs offer "add" or "remove".
        message.add_attachment(attachment, maintype="text", subtype="calendar",
                               params={"method": method or "PUBLISH", "charset": "utf-8"},
                               filename="termin.ics")
    return message


def _smtp(url):
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    client = (smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP)(
        parts.hostname, port, timeout=10)
    if options.get("starttls") == ["1"]:
        client.starttls()
    if parts.username:
        client.login(unquote(parts.username), unquote(parts.password or ""))
    return client


def write_to_outbox(message):
    folder = Path(current_app.config["MAIL_OUTBOX"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{message['Message-ID'].strip('<>')}.eml"
    path = folder / name.replace("/", "_")
    path.write_bytes(bytes(message))
    return path


def deliver(message):
    """Hand one message on, or raise (OSError, SMTPException): through SMTP_URL, or into
    the outbox folder when no mail server is configured."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        write_to_outbox(message)
        return
    with _smtp(url) as client:
        client.send_message(message)


def send(message):
    url = current_app.config.get("SMTP_URL")
    if not url:
        write_to_outbox(message)
        return
    try:
        with _smtp(url) as client:
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        path = write_to_outbox(message)
        log.error("mail to %s not sent (%s); kept in %s", message["To"], exc, path)
