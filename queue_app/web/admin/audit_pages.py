"""The audit log, newest first, with filters."""
from datetime import date, datetime, time

from flask import render_template, request

from ...clock import centre_tz
from ...domain.office import AuditAction
from ...services import audit
from ..session_auth import current_staff
from . import bp, office_page


@bp.get("/audit")
@office_page
def audit_log():
    since = None
    try:
        if request.args.get("since"):
            since = datetime.combine(date.fromisoformat(request.args["since"]), time(0),
                                     centre_tz())
    except ValueError:
        since = None
    action = request.args.get("action") or None
    entries = audit.entries(since=since, actor=request.args.get("actor") or None,
                            action=action if action in set(AuditAction) else None,
                            target=request.args.get("target") or None, limit=300)
    return render_template("admin/audit.html", entries=entries, actions=list(AuditAction),
                           staff=current_staff())
