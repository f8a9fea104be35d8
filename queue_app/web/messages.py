"""One map from an error's code to what a page says, in the page's language. Every page
(booking and managing, the waiting list, the kiosk, the desk, the office) shows
`explain(exc)`; a code not in the map shows the error's own text."""
from flask_babel import lazy_gettext as _l

from .place_messages import PLACE_MESSAGES

MESSAGES = {
    # Residents: booking, managing a booking, the waiting list.
    "consent_required": _l("Please agree to the privacy notice."),
    "invalid_name": _l("Please give your name."),
    "invalid_email": _l("Please give a valid e-mail address."),
    "invalid_phone": _l("Please give a valid phone number, or leave it empty."),
    "too_many_bookings": _l("You already hold the most appointments one person may book. "
                            "Please cancel one first."),
    "not_a_slot": _l("This is not an appointment time. Please choose one from the list."),
    # Visitors checking in at the kiosk.
    "too_early": _l("You are early: check-in opens at %(time)s."),
    "too_late": _l("Your appointment time has passed. Please take a ticket without an "
                   "appointment; we will serve you as soon as we can."),
    "unknown_code": _l("We do not know the booking code %(code)s. Please check it, or take "
                       "a ticket without an appointment."),
    # Clerks at the desk.
    "desk_occupied": _l("Another clerk is signed in at this desk."),
    "not_competent": _l("You may only choose services you are trained for."),
    "desk_busy": _l("Finish, park or mark the current visitor as not present first."),
    "ticket_in_progress": _l("Finish or hand on your current visitor first."),
    "not_holding": _l("This visitor is not at your desk (any more)."),
    "invalid_transition": _l("That is not possible for this visitor right now."),
    "not_signed_in": _l("Please sign in at this desk first."),
    "unknown_service": _l("Please choose services from the list."),
    # Visitors rating their visit on the phone page.
    "invalid_rating": _l("Please choose a rating from 1 to 5."),
    "comment_too_long": _l("Your comment is too long (at most 1000 characters)."),
    "feedback_given": _l("You have already rated this visit. Thank you!"),
    "visit_not_ended": _l("You can rate your visit once it is over."),
    # Supervisors choosing a report's period and filters.
    "invalid_date": _l("Please give the dates as YYYY-MM-DD."),
    "invalid_period": _l("The first day must not be after the last."),
    "period_too_long": _l("A period may span at most %(days)d days."),
    "unknown_office": _l("There is no such office."),
    # The admin in the office (/admin/).
    "service_exists": _l("A service with this code exists already."),
    "invalid_code": _l("Use 1 to 40 lower-case letters, digits, '-' or '_'."),
    "invalid_prefix": _l("A ticket prefix is one or two capital letters A–Z."),
    "name_missing": _l("A German name is needed."),
    "user_exists": _l("A user with this name exists already."),
    "invalid_username": _l("A user name of lower-case letters, digits, '.', '-' or '_'."),
    "weak_password": _l("A password needs at least 8 characters."),
    "last_admin": _l("This is the last active admin: make someone else admin first."),
    "service_in_use": _l("Visitors still wait for this service."),
    "service_booked": _l("Appointments are booked for this service."),
    "service_has_history": _l("Visitors were served for this service; its statistics need "
                              "it."),
    "invalid_time": _l("Give a time like 08:30."),
    "invalid_rule": _l("The end must be after the start."),
    "overlapping_rules": _l("Two opening rules of an office overlap."),
    "date_past": _l("That day is past."),
    "device_exists": _l("A device with this name exists already."),
    "device_name_missing": _l("Give the device a name."),
    "invalid_device_name": _l("A device name has 1 to 80 characters, without '/'."),
    "unknown_zone": _l("There is no such zone."),
    "invalid_kind": _l("Choose the kind of device from the list."),
}

MESSAGES.update(PLACE_MESSAGES)


def explain(exc, fallback=None, **values):
    """The page's text for a domain error; `fallback` names the code whose text stands in
    for codes the map lacks; `values` fill the text's placeholders."""
    message = MESSAGES.get(exc.code) or MESSAGES.get(fallback)
    if message is None:
        return exc.message
    if not values:
        return str(message)
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        # A detail map without the text's placeholder: the text as it stands.
        return str(message)
