"""The visitor's phone page (`/t/<id>`), live through the `/ticket` namespace."""
from flask import abort, g, redirect, render_template, request, url_for
from flask_socketio import ConnectionRefusedError, join_room

from .. import events
from ..clock import now
from ..domain.errors import DomainError
from ..extensions import socketio
from ..services import feedback, ticket_actions
from ..services.catalog import waiting_areas
from ..services.queue_state import get_visit, ticket_view
from . import bp
from .locale import supported
from .messages import MESSAGES, explain


def _visit(ticket_id):
    visit = get_visit(ticket_id)
    if visit is None:
        abort(404)
    # The page speaks the visitor's language unless they switch it here.
    asked = request.args.get("lang")
    g.lang = asked if asked and supported(asked) else visit.lang
    return visit


def _page(template, ticket_id, status=200, **extra):
    visit = _visit(ticket_id)
    at = now()
    view = ticket_view(visit, at, lang=g.lang)
    areas = waiting_areas(view["services"], g.lang, at)
    return render_template(template, ticket=view, areas=areas, **extra), status


def _with_feedback(ticket_id, status=200, feedback_error=None):
    """The page, asking "How was your visit?" once the visit is over and not yet rated."""
    return _page("track.html", ticket_id, status=status,
                 ask_feedback=feedback.can_give(_visit(ticket_id)),
                 thanked=request.args.get("thanks") == "1", feedback_error=feedback_error)


@bp.get("/t/<ticket_id>")
def track(ticket_id):
    return _with_feedback(ticket_id)


@bp.post("/t/<ticket_id>/feedback")
def track_feedback(ticket_id):
    """The phone page's rating form; the same rule as the API's call."""
    visit = _visit(ticket_id)
    try:
        rating = int(request.form.get("rating", ""))
    except ValueError:
        return _with_feedback(ticket_id, 422, str(MESSAGES["invalid_rating"]))
    try:
        feedback.give(visit.public_id, rating, request.form.get("comment"), now())
    except DomainError as exc:
        return _with_feedback(ticket_id, exc.status, explain(exc))
    return redirect(url_for("web.track", ticket_id=ticket_id, lang=g.lang, thanks=1), code=303)


@bp.get("/t/<ticket_id>/status")
def track_status(ticket_id):
    """The status part alone: the page swaps it in on every `ticket` event."""
    return _page("track_status.html", ticket_id)


@bp.route("/t/<ticket_id>/leave", methods=["GET", "POST"])
def track_leave(ticket_id):
    """Leaving the queue asks once (GET), then does it (POST) and shows the ticket again."""
    if request.method == "GET":
        return _page("track_leave.html", ticket_id)
    _visit(ticket_id)
    try:
        ticket_actions.leave(ticket_id, now())
    except DomainError as exc:
        return _page("track.html", ticket_id, status=exc.status, leave_failed=True)
    return redirect(url_for("web.track", ticket_id=ticket_id, lang=g.lang), code=303)


def on_ticket_connect(auth=None):
    ticket_id = auth.get("ticket") if isinstance(auth, dict) else None
    ticket_id = ticket_id or request.args.get("ticket")
    visit = get_visit(ticket_id) if isinstance(ticket_id, str) else None
    if visit is None:
        raise ConnectionRefusedError({"code": "ticket_not_found", "message": "Unknown ticket."})
    join_room(events.ticket_room(visit.public_id))
    events.send_ticket(ticket_view(visit, now()), request.sid)


def init_socket():
    socketio.on_event("connect", on_ticket_connect, namespace=events.TICKET_NAMESPACE)
