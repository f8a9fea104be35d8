"""Staff: list, create, change (role, deactivate, reset password) with history; and the
competency matrix, where the admin sees which services only one person can serve."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...clock import now
from ...domain.errors import DomainError
from ...domain.lifecycle import DESK_ROLES, StaffRole
from ...services import audit, office_catalog, office_staff
from ...services.coverage import coverage
from ...services.office_calendar import all_offices
from ..session_auth import current_staff
from . import bp, field_errors, office_page

# The roles in the page's language: the code words are the API's, not a clerk's German.
ROLE_NAMES = {StaffRole.ADMIN: _l("Administrator"), StaffRole.SUPERVISOR: _l("Supervisor"),
              StaffRole.CLERK: _l("Clerk")}


@bp.app_template_global()
@bp.app_template_filter()
def role_name(code):
    return ROLE_NAMES.get(code, code)


def _render(person, errors=None, new=False, status=200):
    history = [] if new else audit.entries(target=f"staff:{person['username']}", limit=50)
    return render_template("admin/staff_form.html", person=person, errors=errors or {},
                           new=new, roles=list(StaffRole), history=history,
                           services=office_catalog.list_services(),
                           staff=current_staff()), status


@bp.get("/staff")
@office_page
def staff():
    active = {"yes": True, "no": False}.get(request.args.get("active", ""))
    people = office_staff.list_staff(role=request.args.get("role") or None, active=active,
                                     search=request.args.get("q", "").strip() or None)
    return render_template("admin/staff.html", people=people, roles=list(StaffRole),
                           staff=current_staff())


@bp.route("/staff/new", methods=["GET", "POST"])
@office_page
def staff_new():
    blank = {"username": "", "name": "", "role": StaffRole.CLERK, "active": True,
             "competencies": []}
    if request.method == "GET":
        return _render(blank, new=True)
    form = request.form
    fields = {"username": form.get("username", "").strip(), "name": form.get("name", "").strip(),
              "role": form.get("role", ""), "password": form.get("password", ""),
              "competencies": form.getlist("competency")}
    try:
        created = office_staff.create_staff(current_staff().username, fields, now())
    except DomainError as exc:
        return _render({**blank, **fields}, field_errors(exc), new=True, status=exc.status)
    flash(_("User %(name)s created.", name=created["username"]), "ok")
    return redirect(url_for("admin.staff_edit", username=created["username"]), code=303)


@bp.route("/staff/<username>", methods=["GET", "POST"])
@office_page
def staff_edit(username):
    person = office_staff.staff_view(office_staff.get_staff(username))
    if request.method == "GET":
        return _render(person)
    form = request.form
    fields = {"name": form.get("name", "").strip(), "role": form.get("role", ""),
              "active": form.get("active") == "on", "competencies": form.getlist("competency")}
    if form.get("password"):
        fields["password"] = form["password"]
    try:
        office_staff.update_staff(current_staff().username, username, fields, now())
    except DomainError as exc:
        return _render({**person, **fields}, field_errors(exc), status=exc.status)
    flash(_("User %(name)s saved.", name=username), "ok")
    return redirect(url_for("admin.staff_edit", username=username), code=303)


def _matrix(office):
    services = office_catalog.list_services(office=office or None, active=True)
    risk = {c["service"]: c for c in coverage()}
    people = [p for p in office_staff.list_staff(active=True) if p["role"] in DESK_ROLES]
    return services, risk, people


@bp.route("/competencies", methods=["GET", "POST"])
@office_page
def matrix():
    office = request.values.get("office", "")
    services, risk, people = _matrix(office)
    if request.method == "POST":
        shown = {s["code"] for s in services}
        ticked = set(request.form.getlist("c"))
        wanted = {}
        for person in people:
            keep = [c for c in person["competencies"] if c not in shown]
            mine = sorted(keep + [c for c in shown if f"{person['username']}:{c}" in ticked])
            if mine != person["competencies"]:
                wanted[person["username"]] = mine
        office_staff.set_competencies(current_staff().username, wanted, now())
        flash(_("Competencies saved (%(n)d people changed).", n=len(wanted)), "ok")
        return redirect(url_for("admin.matrix", office=office or None), code=303)
    return render_template("admin/matrix.html", services=services, risk=risk, people=people,
                           offices=all_offices(), office=office, staff=current_staff())
