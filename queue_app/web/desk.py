"""The clerk's desk page: sign in at a desk, call, serve, hand on."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from .. import admission
from ..clock import now
from ..domain.errors import DomainError
from ..domain.lifecycle import DESK_ROLES, VisitStatus
from ..services import calling, desk_sessions, ticket_actions
from ..services.catalog import all_service_names, list_services, services_served_now
from ..services.i18n import localized
from ..services.desk_overview import choices_at, desk_choices, my_session, overview
from . import bp
from .messages import explain
from .session_auth import current_staff, staff_required

# What the clerk sees after each action, so a click never passes without a trace.
DONE = {
    "recall": lazy_gettext("%(number)s called again."),
    "start": lazy_gettext("Serving %(number)s."),
    "no-show": lazy_gettext("%(number)s marked as not present; the visit has ended."),
    "park": lazy_gettext("%(number)s parked. They come back to your desk when ready."),
    "resume": lazy_gettext("%(number)s is back in the queue at their old place."),
}


def _result(action, view, names):
    if action == "finish":
        if view["current_service"] and view["status"] == VisitStatus.WAITING:
            return _("%(number)s finished here; now waiting for %(service)s.",
                     number=view["number"],
                     service=names.get(view["current_service"], view["current_service"]))
        return _("%(number)s finished; the visit is complete.", number=view["number"])
    if action == "transfer":
        return _("%(number)s handed on to %(service)s.", number=view["number"],
                 service=names.get(view["current_service"], view["current_service"]))
    return str(DONE[action]) % {"number": view["number"]}


def _service_names(lang, everything=False):
    """Names in `lang`; `everything` adds the inactive services a desk or clerk may
    still name."""
    names = {s["code"]: s["name"] for s in list_services(lang)}
    if everything:
        for code, texts in all_service_names().items():
            names.setdefault(code, localized(texts, lang))
    return names


def _chosen_desk(desks, current, staff):
    """The desk the form shows first: the one just posted or asked for, the clerk's own,
    else the first one free."""
    wanted = request.values.get("desk") or (current["desk"] if current else None)
    by_code = {d["code"]: d for d in desks}
    if wanted in by_code:
        return by_code[wanted]
    return next((d for d in desks if d["taken_by"] in (None, staff.username)), None)


@bp.route("/desk/", methods=["GET", "POST"])
@staff_required(*DESK_ROLES)
def desk_choose():
    staff = current_staff()
    desks, competent, order = desk_choices(staff.id)
    current = my_session(staff.id)
    error, status = None, 200
    if request.method == "POST":
        desk = request.form.get("desk", "")
        services = request.form.getlist("service")
        if not desk or not services:
            error, status = _("Choose a desk and at least one service."), 422
        else:
            try:
                desk_sessions.sign_in(desk, staff, services, now())
            except DomainError as exc:
                error, status = explain(exc), exc.status
            else:
                return redirect(url_for("web.desk", desk_code=desk), code=303)
    chosen = _chosen_desk(desks, current, staff)
    return render_template("desk_choose.html", staff=staff, desks=desks, competent=competent,
                           chosen=chosen, choices=choices_at(chosen, competent, order),
                           order=order, names=_service_names(str(get_locale()), everything=True),
                           current=current, error=error), status


@bp.get("/desk/<desk_code>")
@staff_required(*DESK_ROLES)
def desk(desk_code):
    return _render_desk(desk_code)


def _render_desk(desk_code, error=None, status=200, confirm_no_show=None):
    staff = current_staff()
    try:
        state = overview(desk_code, staff.id, now())
    except DomainError:
        state = None
    if state is None:
        flash(_("Please sign in at this desk first."), "error")
        return redirect(url_for("web.desk_choose"))
    lang = str(get_locale())
    served = services_served_now()
    return render_template("desk.html", staff=staff, state=state, desk_code=desk_code,
                           names=_service_names(lang), error=error,
                           confirm_no_show=confirm_no_show,
                           transfer_to=[s for s in list_services(lang) if s["code"] in served]
                           ), status


def _act(desk_code, action, then=None, name=None):
    """Run one action; back to the desk page (or `then`) after it, saying what happened,
    or show why not."""
    try:
        view = action()
    except DomainError as exc:
        return _render_desk(desk_code, error=explain(exc), status=exc.status)
    if name is not None:
        flash(_result(name, view, _service_names(str(get_locale()))), "ok")
    return redirect(then or url_for("web.desk", desk_code=desk_code), code=303)


@bp.post("/desk/<desk_code>/call-next")
@admission.in_person
@staff_required(*DESK_ROLES)
def desk_call_next(desk_code):
    def call():
        if calling.call_next(desk_code, current_staff(), now()) is None:
            flash(_("Nobody is waiting for your services."), "ok")
    return _act(desk_code, call)


@bp.post("/desk/<desk_code>/tickets/<ticket_id>/<any(recall, start, finish, 'no-show', park, "
         "resume):action>")
@staff_required(*DESK_ROLES)
def desk_ticket_action(desk_code, ticket_id, action):
    # "Not present" ends the visit: asked once, so a slip of the finger costs nobody a turn.
    if action == "no-show" and request.form.get("confirmed") != "1":
        return _render_desk(desk_code, confirm_no_show=ticket_id)
    return _act(desk_code, lambda: ticket_actions.BY_NAME[action](
        ticket_id, current_staff(), now()), name=action)


@bp.post("/desk/<desk_code>/tickets/<ticket_id>/transfer")
@staff_required(*DESK_ROLES)
def desk_transfer(desk_code, ticket_id):
    service = request.form.get("service", "")
    if not service:
        return _render_desk(desk_code, error=_("Choose the service to hand on to."), status=422)
    return _act(desk_code, lambda: ticket_actions.transfer(
        ticket_id, service, current_staff(), now()), name="transfer")


@bp.post("/desk/<desk_code>/sign-out")
@staff_required(*DESK_ROLES)
def desk_sign_out(desk_code):
    return _act(desk_code, lambda: desk_sessions.sign_out(desk_code, current_staff(), now()),
                then=url_for("web.desk_choose"))
