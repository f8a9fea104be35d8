"""The mails a resident gets, in their language, each with its calendar file."""
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import mail
from ..admission import give_way
from ..clock import centre_tz, now
from ..domain.lifecycle import AppointmentStatus
from ..extensions import db
from ..ical import appointment_calendar
from ..models import Service
from .catalog import documents_in
from . import mail_outbox
from .i18n import localized


def details(view):
    rows = {s.code: s for s in db.session.scalars(
        select(Service).where(Service.code.in_(view["services"])))}
    lang = view["lang"]
    services = [rows[c] for c in view["services"] if c in rows]
    names = [localized(s.names, lang) for s in services]
    documents = list(dict.fromkeys(
        doc for s in services for doc in documents_in(s, lang)))
    return names, documents


def calendar_file(view, method, names, documents):
    with force_locale(view["lang"]):
        return _calendar_file(view, method, names, documents)


def _calendar_file(view, method, names, documents):
    cfg = current_app.config
    description = "\n".join(
        [_("Booking code: %(code)s", code=view["code"]),
         _("Manage or cancel: %(url)s", url=view.get("manage_url", ""))] +
        ([_("Please bring:")] + [f"- {d}" for d in documents] if documents else []))
    return appointment_calendar(
        view, now(), centre_tz(), method=method,
        summary=f"{cfg['CENTRE_NAME']}: {', '.join(names)}",
        location=", ".join(p for p in (cfg["CENTRE_NAME"], cfg["CENTRE_ADDRESS"]) if p),
        description=description)


def _send(view, kind, subject, method="PUBLISH", **extra):
    message = _compose(view, kind, subject, method, **extra)
    if message is not None:
        _queue(message)


def _queue(message):
    # Into the outbox of the running transaction (the booking's own, where the caller
    # runs one): sent after the commit, retried if the mail server is away.
    mail_outbox.enqueue(message, now())


def _compose(view, kind, subject, method="PUBLISH", **extra):
    if not view.get("email"):
        return None
    # Each part is a few ms of CPU: a resident's request gives way between them (outside a
    # write transaction), so a kiosk's ticket waits for one part, not for the whole mail.
    with force_locale(view["lang"]):
        names, documents = details(view)
        local = view["start_at"].astimezone(centre_tz())
        body = render_template(f"mail/{kind}.txt", appointment=view, names=names,
                               documents=documents, start=local, **extra)
        give_way()
        ics = _calendar_file(view, method, names, documents)
        give_way()
        return mail.compose(view["email"], str(subject) % {"code": view["code"]}, body,
                            view["lang"], attachment=ics, method=method)


def booking_mail(view):
    """The mail for a new or confirmed appointment, composed but not queued: (the view it
    was made from, the message or None)."""
    # Each status has its own mail template, named for it.
    if view["status"] == AppointmentStatus.RESERVED:
        message = _compose(view, AppointmentStatus.RESERVED,
                           _l("Please confirm your appointment %(code)s"))
    else:
        message = _compose(view, AppointmentStatus.BOOKED, _l("Your appointment %(code)s"))
    return view, message


def booked(view, composed=None):
    """Queues the mail for `view`: the one `booking_mail` `composed` beforehand if it was
    made from this very view (a code drawn twice changes it), else one composed now."""
    if composed is None or composed[0] != view:
        composed = booking_mail(view)
    if composed[1] is not None:
        _queue(composed[1])


def rescheduled(view):
    _send(view, "rescheduled", _l("Your appointment %(code)s has moved"))


def cancelled(view):
    _send(view, AppointmentStatus.CANCELLED, _l("Your appointment %(code)s is cancelled"),
          method="CANCEL")


def reminder(view):
    _send(view, "reminder", _l("Reminder: your appointment %(code)s tomorrow"))


def offer(view):
    _send(view, "offer", _l("An appointment has become free for you"))


def closure(view, reason):
    """The centre closed at the time of this appointment: the holder picks a new time."""
    _send(view, "closure", _l("Your appointment %(code)s: please choose a new time"),
          reason=reason)
