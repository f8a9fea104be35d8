"""Kiosk pages. Plain forms, so a tap works even while the page's script is still loading;
the script only adds the idle return and the on-screen keyboard."""
import re
import secrets
from datetime import datetime

import segno
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import force_locale, format_datetime, format_time
from flask_babel import gettext as _
from pydantic import ValidationError

from queue_app import admission, limits
from queue_app.api.schemas import MAX_SERVICES, TicketRequest
from queue_app.clock import centre_tz, now
from queue_app.domain.errors import DomainError
from queue_app.links import public_url
from queue_app.services import check_in as check_in_service
from queue_app.services import tickets
from queue_app.services.intake import DayFull
from queue_app.services.catalog import list_services, waiting_areas
from queue_app.services.queue_state import get_visit, ticket_view
from queue_app.web.locale import supported
from queue_app.web.messages import explain
from queue_app.domain.lifecycle import DeviceKind
from queue_app.web.session_auth import device_principal, device_required

from . import bp

# A pictogram per office (kiosk/static/pictograms.svg); others get the generic one.
PICTOGRAMS = {"buergerbuero": "home", "auslaenderbehoerde": "globe", "kfz": "car",
              "integration": "people"}
# Booking codes as the booking issue prints them (e.g. K7F-3QX): letters and digits.
CODE_PATTERN = re.compile(r"^[A-Z0-9]{3}-?[A-Z0-9]{3}$")


@bp.url_value_preprocessor
def _language(endpoint, values):
    lang = (values or {}).get("lang")
    if lang is not None:
        if not supported(lang):
            abort(404)
        g.lang = lang


@bp.url_defaults
def _keep_language(endpoint, values):
    if "lang" not in values and g.get("lang") and current_app.url_map.is_endpoint_expecting(
            endpoint, "lang"):
        values["lang"] = g.lang


def _offices(lang):
    """Services grouped by office, in catalogue order."""
    groups = {}
    for service in list_services(lang):
        groups.setdefault(service["office"], {
            "name": service["office_name"], "services": [],
            "pictogram": PICTOGRAMS.get(service["office"], "papers")})
        groups[service["office"]]["services"].append(service)
    return list(groups.values())


def _opening(opens_at):
    """When check-in opens: the time alone today, with the date on another day (a visitor
    a day early must not wait for that time today)."""
    at = datetime.fromisoformat(opens_at)
    tz = centre_tz()
    if at.astimezone(tz).date() == now().astimezone(tz).date():
        return format_time(at, "short")
    return format_datetime(at, "short")


def _chosen(lang, codes):
    by_code = {s["code"]: s for s in list_services(lang)}
    codes = list(dict.fromkeys(codes))
    if not codes:
        return None, _("Please choose at least one errand.")
    if len(codes) > MAX_SERVICES:
        return None, _("Please choose at most %(num)d errands.", num=MAX_SERVICES)
    if any(c not in by_code or not by_code[c]["walk_in"] for c in codes):
        return None, _("One of the chosen errands cannot be served without an appointment.")
    return [by_code[c] for c in codes], None


@bp.get("/")
@device_required(DeviceKind.KIOSK)
def start():
    welcome = {}
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):
            welcome[lang] = _("Welcome! Please choose your language.")
    return render_template("kiosk/start.html", welcome=welcome)


@bp.get("/<lang>/")
@device_required(DeviceKind.KIOSK)
def services(lang):
    # "Back" from the confirm screen brings the chosen errands along, still ticked.
    return render_template("kiosk/services.html", offices=_offices(lang),
                           selected=set(request.args.getlist("service")))


@bp.get("/<lang>/confirm")
@device_required(DeviceKind.KIOSK)
def confirm(lang):
    codes = request.args.getlist("service")
    chosen, error = _chosen(lang, codes)
    if error:
        return render_template("kiosk/services.html", offices=_offices(lang), error=error,
                               selected=set(codes)), 422
    # One key per confirmation screen: a double tap or a retried post gives one ticket.
    return render_template("kiosk/confirm.html", chosen=chosen, key=secrets.token_urlsafe(16))


@bp.post("/<lang>/ticket")
@admission.in_person
@device_required(DeviceKind.KIOSK)
def take_ticket(lang):
    codes = request.form.getlist("service")
    chosen, error = _chosen(lang, codes)
    priority = request.form.get("priority") or None
    key = request.form.get("key", "")
    if not error:
        try:
            # The API's request model: the same limits, priority reasons and digest.
            body = TicketRequest.model_validate(
                {"services": [s["code"] for s in chosen], "lang": lang, "priority": priority})
        except ValidationError:
            error = _("Please answer the priority question again.")
    if not error and not re.fullmatch(r"[A-Za-z0-9_\-]{8,64}", key):
        error = _("Something went wrong. Please start again.")
    if error:
        return render_template("kiosk/services.html", offices=_offices(lang), error=error,
                               selected=set(codes)), 422
    try:
        view, _replayed = tickets.issue_ticket(
            body.services, lang, body.priority_reason(), now(), device_principal(),
            idempotency_key=f"kiosk-{key}", digest=body.digest())
    except DayFull as exc:
        return _day_full(lang, exc), exc.status
    except DomainError as exc:
        return render_template("kiosk/services.html", offices=_offices(lang), selected=set(codes),
                               error=_("The ticket could not be issued. Please start again.")
                               ), exc.status
    # "Print my ticket" issues and prints in one tap; the other button skips the paper.
    printing = request.form.get("print", "1") == "1"
    return redirect(url_for("kiosk.ticket", lang=lang, ticket_id=view["id"],
                            print=1 if printing else None), code=303)


def _qr(link, title):
    svg = segno.make(link, error="m").svg_inline(scale=4, border=2, title=title)
    # Screen readers announce an inline SVG by its title only when it is an image.
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _day_full(lang, exc):
    """No ticket that would expire unserved: the next free appointment times instead, and
    a QR code that opens the booking of that service on the visitor's phone."""
    service = exc.details["service"]
    by_code = {s["code"]: s for s in list_services(lang)}
    slots = [datetime.fromisoformat(s["start"]) for s in exc.details["next_slots"]]
    link = public_url(f"/book/times?service={service}&lang={lang}") if slots else None
    return render_template("kiosk/day_full.html", service=by_code.get(service), slots=slots,
                           link=link, qr=_qr(link, _("QR code: book an appointment on your "
                                                     "phone")) if link else None)


@bp.get("/<lang>/ticket/<ticket_id>")
@device_required(DeviceKind.KIOSK)
def ticket(lang, ticket_id):
    visit = get_visit(ticket_id)
    if visit is None:
        abort(404)
    at = now()
    view = ticket_view(visit, at)
    by_code = {s["code"]: s for s in list_services(lang)}
    chosen = [by_code[c] for c in view["services"] if c in by_code]
    link = f"{view['track_url']}?lang={lang}"
    qr = _qr(link, _("QR code: follow your number on your phone"))
    # Two errands often need the same paper; the receipt lists it once.
    documents = list(dict.fromkeys(doc for s in chosen for doc in s["documents"]))
    return render_template("kiosk/ticket.html", ticket=view, chosen=chosen, qr=qr, link=link,
                           documents=documents,
                           areas=waiting_areas(view["services"], lang, at),
                           issued_at=visit.created_at,
                           auto_print=current_app.config["KIOSK_AUTO_PRINT"]
                           or request.args.get("print") == "1")


@bp.route("/<lang>/check-in", methods=["GET", "POST"])
@admission.in_person
@limits.check_in
@device_required(DeviceKind.KIOSK)
def check_in(lang):
    error = None
    code = ""
    status = 200
    if request.method == "POST":
        code = request.form.get("code", "").strip().upper().replace(" ", "")
        if not CODE_PATTERN.match(code):
            error = _("A booking code has six letters or digits, like K7F-3QX.")
            status = 422
        else:
            try:
                view, _created = check_in_service.check_in(code, now(), device_principal())
            except DomainError as exc:
                opens = exc.details.get("opens_at")
                # Any other refusal (a cancelled booking too) reads as an unknown code.
                error = explain(exc, fallback="unknown_code", code=code,
                                time=_opening(opens) if opens else "")
                status = exc.status
            else:
                return redirect(url_for("kiosk.ticket", lang=lang, ticket_id=view["id"]),
                                code=303)
    return render_template("kiosk/check_in.html", error=error, code=code), status
