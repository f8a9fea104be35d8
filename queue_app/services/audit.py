"""The back office's audit log: one entry per change, in the change's own transaction."""
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry

MAX_ENTRIES = 500


def plain(value):
    """JSON-safe copy of a snapshot (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def note(actor, action, target, before, after, now):
    """Inside a write transaction: record the change beside it."""
    db.session.add(AuditEntry(at=now, actor=actor, action=str(action), target=target,
                              before=plain(before), after=plain(after)))


def entry_view(entry):
    return {"at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
            "target": entry.target, "before": entry.before, "after": entry.after}


def entries(since=None, actor=None, action=None, target=None, limit=MAX_ENTRIES):
    """Newest first; `target` matches exactly or as a prefix ("service:" for all services)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if target:
        query = query.where(AuditEntry.target.startswith(target, autoescape=True))
    return [entry_view(e) for e in db.session.scalars(query.limit(limit))]
