"""Residents book from home: services → a free time from a list → details and consent →
confirmation with code, calendar file and manage link. The manage page moves or cancels."""
from datetime import date, datetime, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import admission, limits
from ..clock import centre_tz, now
from ..domain import dates
from ..domain.errors import DomainError
from ..services import appointments, availability, waitlist
from ..services.catalog import list_services
from . import bp
from .messages import explain


def _lang():
    return str(get_locale())


def _bookable(lang):
    groups = {}
    for s in list_services(lang):
        if s["bookable"]:
            groups.setdefault(s["office"], {"name": s["office_name"], "services": []})
            groups[s["office"]]["services"].append(s)
    return list(groups.values())


def _chosen(codes, lang):
    by_code = {s["code"]: s for s in list_services(lang)}
    return [by_code[c] for c in codes if c in by_code]


def _by_day(found):
    days = {}
    for slot in found:
        local = slot.start.astimezone(centre_tz())
        days.setdefault(local.date(), []).append(local)
    return sorted(days.items())


@bp.get("/book/")
def book_start():
    return render_template("book_services.html", offices=_bookable(_lang()), error=None,
                           selected=set(request.args.getlist("service"))), 200


def _month_arg(today):
    try:
        year, month = (int(p) for p in request.args.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    if not dates.in_range(first):
        abort(400)
    return first


def _day_arg():
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return None
    if not dates.in_range(day):
        abort(400)
    return day


def _month_after(first):
    return (first + timedelta(days=32)).replace(day=1)


def _weeks(first):
    """The month as weeks of seven (None outside it), Monday first."""
    days = [None] * first.weekday()
    day = first
    while day.month == first.month:
        days.append(day)
        day += timedelta(days=1)
    days += [None] * (-len(days) % 7)
    return [days[i:i + 7] for i in range(0, len(days), 7)]


@bp.get("/book/times")
@limits.slot_search
@admission.resident
def book_times(error=None, status=200, token=None, codes=None):
    """Step 2: a month with its free days marked, then the chosen day's times (a keyboard
    user tabs through one month and one day, not every time of a week)."""
    codes = codes or request.args.getlist("service")
    token = token or request.args.get("token")
    if not codes:
        return render_template("book_services.html", offices=_bookable(_lang()),
                               selected=set(), error=_("Please choose at least one service.")
                               ), 422
    today = now().astimezone(centre_tz()).date()
    month = max(_month_arg(today), today.replace(day=1))
    try:
        services = availability.bookable_services(codes)
        found = availability.find_slots(None, max(month, today),
                                        _month_after(month) - timedelta(days=1), now(),
                                        services=services)
        later = availability.next_free(services, _day_end(_month_after(month) - timedelta(
            days=1)), now(), count=1) if not found else []
    except DomainError as exc:
        return render_template("book_services.html", offices=_bookable(_lang()),
                               selected=set(codes),
                               error=_("Please choose services of one office that can be "
                                       "booked online.")), exc.status
    days = dict(_by_day(found))
    day = _day_arg()
    if day not in days:
        day = next(iter(days), None)
    current = None
    if token:
        appt = _appointment(token)
        current = appt["start_at"].astimezone(centre_tz())
    return render_template(
        "book_times.html", codes=codes, chosen=_chosen(codes, _lang()), month=month,
        weeks=_weeks(month), free_days=set(days),
        weekdays=[month - timedelta(days=month.weekday() - i) for i in range(7)], day=day,
        times=days.get(day, []),
        previous=(month - timedelta(days=1)).replace(day=1) if month > today else None,
        next=_month_after(month), later=later, token=token, current=current,
        error=error), status


def _day_end(day):
    return datetime.combine(day, datetime.max.time(), centre_tz())


def _start_arg(source):
    try:
        start = datetime.fromisoformat(source.get("start", ""))
    except ValueError:
        abort(400)
    if start.tzinfo is None or not dates.in_range(start):
        abort(400)
    return start


@bp.route("/book/details", methods=["GET", "POST"])
@limits.booking
@admission.resident
def book_details():
    source = request.form if request.method == "POST" else request.args
    codes = source.getlist("service")
    start = _start_arg(source)
    form = {"name": "", "email": "", "phone": ""}
    error, status = None, 200
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in form}
        try:
            view = appointments.book(codes, start, form["name"], form["email"], _lang(),
                                     request.form.get("consent") == "yes", now(),
                                     phone=form["phone"] or None)
        except appointments.SlotTaken as exc:
            return book_times(error=_("Sorry, this time has just been taken. Please choose "
                                      "another."), status=exc.status, codes=codes)
        except DomainError as exc:
            error, status = explain(exc), exc.status
        else:
            return redirect(url_for("web.manage", token=view["token"], new=1), code=303)
    return render_template("book_details.html", codes=codes, chosen=_chosen(codes, _lang()),
                           start=start.astimezone(centre_tz()), form=form, error=error), status


@bp.post("/book/waitlist")
@limits.waitlist
@admission.resident
def book_waitlist():
    codes = request.form.getlist("service")
    try:
        result = waitlist.join(codes, request.form.get("email", "").strip(), _lang(),
                               request.form.get("consent") == "yes", now())
    except DomainError as exc:
        return book_times(error=explain(exc), status=exc.status, codes=codes)
    return render_template("book_waitlist.html", position=result["position"]), 201


def _appointment(token):
    try:
        return appointments.get(token)
    except DomainError:
        abort(404)


@bp.get("/manage/<token>")
def manage(token):
    view = _appointment(token)
    return render_template("manage.html", appt=view, chosen=_chosen(view["services"], _lang()),
                           start=view["start_at"].astimezone(centre_tz()),
                           new=request.args.get("new") == "1",
                           moved=request.args.get("moved") == "1", error=None)


@bp.route("/manage/<token>/reschedule", methods=["GET", "POST"])
@limits.reschedule
@admission.resident
def manage_reschedule(token):
    """GET asks ("move from … to …?"), the button moves; the page then says it is done."""
    view = _appointment(token)
    if request.method == "GET":
        return render_template("manage_move.html", appt=view,
                               start=view["start_at"].astimezone(centre_tz()),
                               new_start=_start_arg(request.args).astimezone(centre_tz()))
    try:
        appointments.reschedule(token, _start_arg(request.form), now())
    except appointments.SlotTaken as exc:
        return book_times(error=_("Sorry, this time has just been taken. Please choose "
                                  "another."), status=exc.status, token=token,
                          codes=view["services"])
    except DomainError as exc:
        return _manage_error(token, exc)
    return redirect(url_for("web.manage", token=token, moved=1), code=303)


def _manage_error(token, exc):
    view = _appointment(token)
    return render_template("manage.html", appt=view, chosen=_chosen(view["services"], _lang()),
                           start=view["start_at"].astimezone(centre_tz()), new=False,
                           error=explain(exc)), exc.status


@bp.route("/manage/<token>/cancel", methods=["GET", "POST"])
@bp.route("/manage/<token>/cant-come", methods=["GET", "POST"])
def manage_cancel(token):
    return _ask_then_do(token, "cancel", appointments.cancel)


@bp.route("/manage/<token>/confirm", methods=["GET", "POST"])
def manage_confirm(token):
    return _ask_then_do(token, "confirm", appointments.confirm)


def _ask_then_do(token, action, do):
    """Links from mails: a GET only asks, the button does it, since mail scanners follow
    links by themselves."""
    view = _appointment(token)
    if request.method == "POST":
        try:
            do(token, now())
        except DomainError as exc:
            return _manage_error(token, exc)
        return redirect(url_for("web.manage", token=token), code=303)
    return render_template("manage_action.html", appt=view, action=action,
                           start=view["start_at"].astimezone(centre_tz()))
