"""Staff login and logout for the pages (the API has its own token endpoint)."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import limits
from ..clock import now
from ..domain.lifecycle import INSIGHT_ROLES
from ..domain.errors import Unauthorized
from ..services.auth import issue_staff_token, revoke_token
from . import bp
from .session_auth import STAFF_SESSION, current_staff


def _safe_next(target):
    r"""Only a path on this site: a crafted link must not bounce a clerk elsewhere.
    Browsers drop tabs and line breaks and read a backslash as a slash, so "/<tab>/evil"
    and "/\evil" both mean "//evil": any of them refuses the target."""
    if not target or not target.startswith("/") or not target.isprintable():
        return None
    if "\\" in target or any(c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def _home(staff):
    return url_for("web.floor") if staff.role in INSIGHT_ROLES else url_for(
        "web.desk_choose")


@bp.route("/login", methods=["GET", "POST"])
@limits.login
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        try:
            session_id = issue_staff_token(username, password, now(), for_pages=True)
        except Unauthorized:
            error = _("Unknown user name or wrong password.")
        else:
            lang = session.get("lang")
            session.clear()
            session[STAFF_SESSION] = session_id
            if lang:
                session["lang"] = lang
            staff = current_staff()
            return redirect(_safe_next(request.form.get("next")) or _home(staff))
    status = 401 if error else 200
    return render_template("login.html", error=error,
                           next=_safe_next(request.values.get("next")) or ""), status


@bp.post("/logout")
def logout():
    session_id = session.get(STAFF_SESSION)
    if session_id:
        revoke_token(session_id, now(), for_pages=True)
    session.pop(STAFF_SESSION, None)
    return redirect(url_for("web.login"))
