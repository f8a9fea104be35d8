"""Offices with their opening rules (a week of slots shown before saving), and closures
(public holidays beside them; the appointments a closure hits listed, then mailed)."""
from datetime import date, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...clock import centre_tz, now
from ...domain.errors import DomainError
from ...services import office_calendar
from ...services.availability import public_holidays
from ..session_auth import current_staff
from . import bp, field_errors, office_page

BLANK_ROWS = 2
WEEKDAYS = range(7)


def _rows_from_form():
    """The rule rows as the service layer's dicts; a row without times is left out."""
    rows = []
    for n in range(int(request.form.get("rows", "0") or 0)):
        get = request.form.get
        if not get(f"start_{n}") and not get(f"end_{n}"):
            continue
        row = {"weekdays": [int(d) for d in request.form.getlist(f"weekdays_{n}")
                            if d.isdigit()],
               "start": get(f"start_{n}", ""), "end": get(f"end_{n}", "")}
        for field in ("parallel_desks", "slot_minutes", "every_n_weeks"):
            raw = get(f"{field}_{n}", "").strip()
            row[field] = int(raw) if raw.isdigit() else raw
        for field in ("valid_from", "valid_until"):
            row[field] = get(f"{field}_{n}") or None
        rows.append(row)
    return rows


def _monday(day):
    return day - timedelta(days=day.weekday())


@bp.route("/offices/<office>/opening-rules", methods=["GET", "POST"])
@office_page
def opening_rules(office):
    current = office_calendar.opening_rules(office)["rules"]
    rows, errors, preview, status = current, {}, None, 200
    week = _monday(now().astimezone(centre_tz()).date() + timedelta(days=7))
    if request.method == "POST":
        rows = _rows_from_form()
        try:
            preview = office_calendar.preview_week(office, rows, week)
        except DomainError as exc:
            errors, status = field_errors(exc), exc.status
        else:
            if request.form.get("action") == "save":
                office_calendar.replace_rules(current_staff().username, office, rows, now())
                flash(_("Opening rules of %(office)s saved; slot search follows at once.",
                        office=office), "ok")
                return redirect(url_for("admin.opening_rules", office=office), code=303)
    elif request.args.get("preview"):
        preview = office_calendar.preview_week(office, current, week)
    blank = {"weekdays": [], "start": "", "end": "", "parallel_desks": 1, "slot_minutes": 10,
             "every_n_weeks": 1, "valid_from": None, "valid_until": None}
    return render_template("admin/opening_rules.html", office=office,
                           rows=list(rows) + [blank] * BLANK_ROWS, errors=errors,
                           preview=preview, week=week, weekdays=WEEKDAYS,
                           staff=current_staff()), status


def _closure_fields():
    form = request.form
    return {"office": form.get("office") or None, "date": form.get("date", ""),
            "from": form.get("from") or None, "to": form.get("to") or None,
            "reason": form.get("reason", "").strip()}


def _closure_says(fields):
    """An empty date is missing, not malformed."""
    def say(problem):
        if problem.details.get("field") == "date" and not fields["date"].strip():
            return _("A date is needed.")
        return None
    return say


def _calendar(first, last):
    """Closures and public holidays between two days, in date order."""
    cfg = current_app.config
    days = [{"date": d.isoformat(), "holiday": name}
            for d, name in public_holidays(cfg["HOLIDAY_COUNTRY"], cfg["HOLIDAY_SUBDIVISION"],
                                           first, last)]
    days += [{**c, "holiday": None} for c in office_calendar.list_closures(first=first)
             if c["date"] <= last.isoformat()]
    return sorted(days, key=lambda d: (d["date"], d.get("from") or ""))


@bp.route("/closures", methods=["GET", "POST"])
@office_page
def closures():
    today = now().astimezone(centre_tz()).date()
    fields, errors, affected, status = {"office": None, "date": "", "from": None, "to": None,
                                        "reason": ""}, {}, None, 200
    if request.method == "POST":
        fields = _closure_fields()
        try:
            if request.form.get("action") == "confirm":
                created = office_calendar.create_closure(current_staff().username, fields,
                                                         now())
                flash(_("Closure saved. %(n)d appointment holder(s) were mailed.",
                        n=len(created["affected"])), "ok")
                return redirect(url_for("admin.closures"), code=303)
            affected = office_calendar.preview_closure(fields, now())
        except DomainError as exc:
            errors, status = field_errors(exc, _closure_says(fields)), exc.status
    return render_template("admin/closures.html", fields=fields, errors=errors,
                           affected=affected, offices=office_calendar.all_offices(),
                           calendar=_calendar(today, date(today.year + 1, 12, 31)),
                           staff=current_staff()), status


@bp.post("/closures/<int:closure_id>/delete")
@office_page
def closure_delete(closure_id):
    office_calendar.delete_closure(current_staff().username, closure_id, now())
    flash(_("Closure removed; its slots are offered again."), "ok")
    return redirect(url_for("admin.closures"), code=303)
