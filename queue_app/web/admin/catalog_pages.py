"""Services: list with filter and search, change form, delete (or why not), history."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...clock import now
from ...domain.errors import DomainError
from ...services import audit, office_catalog
from ...services.office_calendar import all_offices
from ..session_auth import current_staff
from . import bp, explain, field_errors, office_page


def _form_fields(new):
    """The form as the service layer's fields (types as the API sends them)."""
    form = request.form
    fields = {"office": form.get("office", ""), "prefix": form.get("prefix", "").strip(),
              "walk_in": form.get("walk_in") == "on", "bookable": form.get("bookable") == "on",
              "active": form.get("active") == "on"}
    if new:
        fields["code"] = form.get("code", "").strip()
    for name in ("duration_minutes", "target_wait_minutes"):
        raw = form.get(name, "").strip()
        fields[name] = int(raw) if raw.isdigit() else raw
    names, documents = {}, {}
    for lang in current_app.config["LANGUAGES"]:
        text = form.get(f"name_{lang}", "").strip()
        if text:
            names[lang] = text
        items = [line.strip() for line in form.get(f"documents_{lang}", "").splitlines()
                 if line.strip()]
        if items:
            documents[lang] = items
    fields["names"], fields["documents"] = names, documents
    return fields


def _render(service, errors=None, new=False, status=200):
    history = [] if new else audit.entries(target=f"service:{service['code']}", limit=50)
    return render_template("admin/service_form.html", service=service, errors=errors or {},
                           new=new, offices=all_offices(), history=history,
                           languages=current_app.config["LANGUAGES"],
                           staff=current_staff()), status


@bp.get("/")
@office_page
def index():
    return redirect(url_for("admin.services"))


@bp.get("/services")
@office_page
def services():
    active = {"yes": True, "no": False}.get(request.args.get("active", ""))
    found = office_catalog.list_services(office=request.args.get("office") or None,
                                         search=request.args.get("q", "").strip() or None,
                                         active=active)
    return render_template("admin/services.html", services=found, offices=all_offices(),
                           staff=current_staff())


@bp.route("/services/new", methods=["GET", "POST"])
@office_page
def service_new():
    blank = {"code": "", "office": request.args.get("office", ""), "prefix": "", "names": {},
             "documents": {}, "duration_minutes": 15, "target_wait_minutes": 30,
             "walk_in": True, "bookable": True, "active": True}
    if request.method == "GET":
        return _render(blank, new=True)
    fields = _form_fields(new=True)
    try:
        created = office_catalog.create_service(current_staff().username, fields, now())
    except DomainError as exc:
        return _render({**blank, **fields}, field_errors(exc), new=True, status=exc.status)
    flash(_("Service %(code)s created.", code=created["code"]), "ok")
    return redirect(url_for("admin.service_edit", code=created["code"]), code=303)


@bp.route("/services/<code>", methods=["GET", "POST"])
@office_page
def service_edit(code):
    service = office_catalog.service_view(office_catalog.get_service(code))
    if request.method == "GET":
        return _render(service)
    fields = _form_fields(new=False)
    try:
        office_catalog.update_service(current_staff().username, code, fields, now())
    except DomainError as exc:
        return _render({**service, **fields}, field_errors(exc), status=exc.status)
    flash(_("Service %(code)s saved.", code=code), "ok")
    return redirect(url_for("admin.service_edit", code=code), code=303)


@bp.route("/services/<code>/delete", methods=["GET", "POST"])
@office_page
def service_delete(code):
    service = office_catalog.get_service(code)
    view = office_catalog.service_view(service)
    reason = office_catalog.usage(service, now())
    if request.method == "POST":
        if request.form.get("deactivate"):
            office_catalog.update_service(current_staff().username, code, {"active": False},
                                          now())
            flash(_("Service %(code)s deactivated: nobody can choose it any more.", code=code),
                  "ok")
            return redirect(url_for("admin.service_edit", code=code), code=303)
        try:
            office_catalog.delete_service(current_staff().username, code, now())
        except DomainError as exc:
            return render_template("admin/service_delete.html", service=view,
                                   reason=explain(exc), staff=current_staff()), exc.status
        flash(_("Service %(code)s deleted.", code=code), "ok")
        return redirect(url_for("admin.services"), code=303)
    return render_template("admin/service_delete.html", service=view, staff=current_staff(),
                           reason=str(explain(DomainError(reason[1], code=reason[0])))
                           if reason else None)
