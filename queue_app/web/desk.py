"""The clerk's desk page: sign in at a desk, call, serve, hand on."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..clock import now
from ..domain.errors import DomainError
from ..domain.lifecycle import DESK_ROLES
from ..services import calling, desk_sessions, ticket_actions
from ..services.catalog import list_services
from ..services.desk_overview import desk_choices, my_session, overview
from . import bp
from .messages import explain
from .session_auth import current_staff, staff_required


def _service_names(lang):
    return {s["code"]: s["name"] for s in list_services(lang)}


@bp.route("/desk/", methods=["GET", "POST"])
@staff_required(*DESK_ROLES)
def desk_choose():
    staff = current_staff()
    desks, competent = desk_choices(staff.id)
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
    return render_template("desk_choose.html", staff=staff, desks=desks, competent=competent,
                           names=_service_names(str(get_locale())), current=current,
                           error=error), status


@bp.get("/desk/<desk_code>")
@staff_required(*DESK_ROLES)
def desk(desk_code):
    return _render_desk(desk_code)


def _render_desk(desk_code, error=None, status=200):
    staff = current_staff()
    try:
        state = overview(desk_code, staff.id, now())
    except DomainError:
        state = None
    if state is None:
        flash(_("Please sign in at this desk first."), "error")
        return redirect(url_for("web.desk_choose"))
    lang = str(get_locale())
    return render_template("desk.html", staff=staff, state=state, desk_code=desk_code,
                           names=_service_names(lang), error=error,
                           services=list_services(lang)), status


def _act(desk_code, action, then=None):
    """Run one action; back to the desk page (or `then`) after it, or show why not."""
    try:
        action()
    except DomainError as exc:
        return _render_desk(desk_code, error=explain(exc), status=exc.status)
    return redirect(then or url_for("web.desk", desk_code=desk_code), code=303)


@bp.post("/desk/<desk_code>/call-next")
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
    return _act(desk_code, lambda: ticket_actions.BY_NAME[action](
        ticket_id, current_staff(), now()))


@bp.post("/desk/<desk_code>/tickets/<ticket_id>/transfer")
@staff_required(*DESK_ROLES)
def desk_transfer(desk_code, ticket_id):
    service = request.form.get("service", "")
    return _act(desk_code, lambda: ticket_actions.transfer(
        ticket_id, service, current_staff(), now()))


@bp.post("/desk/<desk_code>/sign-out")
@staff_required(*DESK_ROLES)
def desk_sign_out(desk_code):
    return _act(desk_code, lambda: desk_sessions.sign_out(desk_code, current_staff(), now()),
                then=url_for("web.desk_choose"))
