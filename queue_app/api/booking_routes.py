from datetime import timedelta

from flask import current_app, g, jsonify, request

from ..clock import centre_tz, now
from ..domain.lifecycle import AppointmentStatus, DeviceKind
from .. import admission, limits
from ..services import appointments, availability, check_in, notifications, waitlist
from . import bp
from .auth import STAFF, require
from .schemas import (AppointmentRequest, CheckInRequest, RescheduleRequest, WaitlistRequest,
                      date_arg, parse)


def _created(view):
    response = jsonify(appointments.public(view))
    response.status_code = 201
    return response


@bp.get("/slots")
@limits.slot_search
@admission.resident
def slots():
    codes = [c for c in request.args.get("services", "").split(",") if c]
    today = now().astimezone(centre_tz()).date()
    first = date_arg("from", today)
    last = date_arg("to", first + timedelta(days=13))
    found = availability.find_slots(codes, first, last, now())
    return jsonify({"slots": [{"start": s.start.isoformat(), "end": s.end.isoformat()}
                              for s in found]})


@bp.post("/appointments")
@limits.booking
@admission.resident
def book():
    body = parse(AppointmentRequest)
    view = appointments.book(body.services, body.start, body.name, body.email, body.lang,
                             body.consent, now(), phone=body.phone)
    return _created(view)


@bp.get("/appointments/<token>")
def appointment(token):
    return jsonify(appointments.public(appointments.get(token)))


@bp.get("/appointments/<token>/ics")
def appointment_ics(token):
    view = appointments.get(token)
    method = "CANCEL" if view["status"] == AppointmentStatus.CANCELLED else "PUBLISH"
    names, documents = notifications.details(view)
    body = notifications.calendar_file(view, method, names, documents)
    return current_app.response_class(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="termin-{view["code"]}.ics"'})


@bp.post("/appointments/<token>/reschedule")
@limits.reschedule
@admission.resident
def reschedule(token):
    body = parse(RescheduleRequest)
    return jsonify(appointments.public(appointments.reschedule(token, body.start, now())))


@bp.delete("/appointments/<token>")
def cancel(token):
    return jsonify(appointments.public(appointments.cancel(token, now())))


@bp.post("/appointments/<token>/confirm")
def confirm(token):
    return jsonify(appointments.public(appointments.confirm(token, now())))


@bp.post("/check-in")
@admission.in_person
@limits.check_in
@require(roles=STAFF, devices=(DeviceKind.KIOSK,))
def check_in_route():
    body = parse(CheckInRequest)
    view, created = check_in.check_in(body.code, now(), g.principal)
    response = jsonify(view)
    response.status_code = 201 if created else 200
    return response


@bp.post("/waitlist")
@limits.waitlist
@admission.resident
def join_waitlist():
    body = parse(WaitlistRequest)
    result = waitlist.join(body.services, body.email, body.lang, body.consent, now())
    response = jsonify(result)
    response.status_code = 201
    return response


@bp.delete("/waitlist/<token>")
def leave_waitlist(token):
    return jsonify(waitlist.leave(token, now()))
