"""Offices, zones and desks: one overview (with each office's opening rules), a change
form per place with its history, and delete (or why not: a desk with a history is switched
off instead)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...clock import now
from ...domain.errors import DomainError
from ...services import audit, office_calendar, office_catalog, office_places
from ..session_auth import current_staff
from . import bp, explain, field_errors, office_page

KINDS = {
    "office": (office_places.get_office, office_places.office_view,
               office_places.create_office, office_places.update_office,
               office_places.delete_office, office_places.office_usage),
    "zone": (office_places.get_zone, office_places.zone_view, office_places.create_zone,
             office_places.update_zone, office_places.delete_zone, office_places.zone_usage),
    "desk": (office_places.get_desk, lambda desk: office_places.one_desk(desk.code),
             office_places.create_desk,
             office_places.update_desk, office_places.delete_desk, office_places.desk_usage),
}


@bp.get("/offices")
@office_page
def offices():
    found = [{**o, "rules": office_calendar.opening_rules(o["code"])["rules"]}
             for o in office_places.list_offices()]
    zones = office_places.list_zones()
    return render_template("admin/offices.html", offices=found, zones=zones,
                           zone_names={z["code"]: z["names"] for z in zones},
                           desks=office_places.list_desks(), names=_service_names(),
                           staff=current_staff())


def _service_names():
    return {s["code"]: s["names"] for s in office_catalog.list_services()}


def _names_from_form():
    names = {}
    for lang in current_app.config["LANGUAGES"]:
        text = request.form.get(f"name_{lang}", "").strip()
        if text:
            names[lang] = text
    return names


def _fields(kind, new):
    form = request.form
    if kind == "desk":
        fields = {"name": form.get("name", "").strip(), "zone": form.get("zone", ""),
                  "services": form.getlist("service"), "active": form.get("active") == "on"}
    else:
        fields = {"names": _names_from_form()}
    if new:
        fields["code"] = form.get("code", "").strip()
    return fields


def _blank(kind):
    if kind == "desk":
        return {"code": "", "name": "", "zone": request.args.get("zone", ""), "services": [],
                "active": True}
    return {"code": "", "names": {}}


def _render(kind, place, errors=None, new=False, status=200):
    history = [] if new else audit.entries(target=f"{kind}:{place['code']}", limit=50)
    extra = {}
    if kind == "desk":
        extra = {"zones": office_places.list_zones(), "offices": office_calendar.all_offices(),
                 "services": office_catalog.list_services()}
    return render_template(f"admin/{'desk' if kind == 'desk' else 'place'}_form.html",
                           kind=kind, place=place, errors=errors or {}, new=new,
                           history=history, languages=current_app.config["LANGUAGES"],
                           staff=current_staff(), **extra), status


def _new(kind):
    get, view, create, *_rest = KINDS[kind]
    if request.method == "GET":
        return _render(kind, _blank(kind), new=True)
    fields = _fields(kind, new=True)
    try:
        created = create(current_staff().username, fields, now())
    except DomainError as exc:
        return _render(kind, {**_blank(kind), **fields}, field_errors(exc), new=True,
                       status=exc.status)
    flash(_("%(code)s created.", code=created["code"]), "ok")
    return redirect(url_for(f"admin.offices_{kind}_edit", code=created["code"]), code=303)


def _edit(kind, code):
    get, view, _create, update, *_rest = KINDS[kind]
    place = view(get(code))
    if request.method == "GET":
        return _render(kind, place)
    fields = _fields(kind, new=False)
    try:
        update(current_staff().username, code, fields, now())
    except DomainError as exc:
        return _render(kind, {**place, **fields}, field_errors(exc), status=exc.status)
    flash(_("%(code)s saved.", code=code), "ok")
    return redirect(url_for(f"admin.offices_{kind}_edit", code=code), code=303)


def _delete(kind, code):
    get, view, _create, update, delete, usage = KINDS[kind]
    row = get(code)
    place = view(row)
    reason = usage(row)
    if request.method == "POST":
        if kind == "desk" and request.form.get("switch_off"):
            try:
                update(current_staff().username, code, {"active": False}, now())
            except DomainError as exc:
                return _render_delete(kind, place, explain(exc), exc.status)
            flash(_("%(code)s switched off: nobody can sign in there any more.", code=code),
                  "ok")
            return redirect(url_for("admin.offices_desk_edit", code=code), code=303)
        try:
            delete(current_staff().username, code, now())
        except DomainError as exc:
            return _render_delete(kind, place, explain(exc), exc.status)
        flash(_("%(code)s deleted.", code=code), "ok")
        return redirect(url_for("admin.offices"), code=303)
    return _render_delete(kind, place, str(explain(DomainError(reason[1], code=reason[0])))
                          if reason else None)


def _render_delete(kind, place, reason, status=200):
    return render_template("admin/place_delete.html", kind=kind, place=place, reason=reason,
                           staff=current_staff()), status


def _routes(kind, prefix):
    """new, edit and delete pages for one kind of place, named admin.offices_<kind>_…
    (so the office navigation marks "Offices" on each of them)."""
    for suffix, path, handler in (("new", f"{prefix}/new", _new),
                                  ("edit", f"{prefix}/<code>", _edit),
                                  ("delete", f"{prefix}/<code>/delete", _delete)):
        def view(handler=handler, **kwargs):
            return handler(kind, **kwargs)
        view.__name__ = f"offices_{kind}_{suffix}"
        bp.add_url_rule(path, view.__name__, office_page(view), methods=["GET", "POST"])


_routes("office", "/offices")
_routes("zone", "/zones")
_routes("desk", "/desks")
