"""The supervisor's floor: queues against their targets, who serves what, boards alive."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.lifecycle import HELD, DeviceKind, StepStatus
from ..extensions import db
from ..models import DeskSession, Service, Step, desk_session_services
from .devices import device_overview
from .i18n import localized


def _queues(now, lang):
    oldest = dict(db.session.execute(
        select(Step.service_id, func.min(Step.queued_at)).where(Step.status == StepStatus.WAITING)
        .group_by(Step.service_id)).all())
    counts = dict(db.session.execute(
        select(Step.service_id, func.count()).where(Step.status == StepStatus.WAITING)
        .group_by(Step.service_id)).all())
    served = set(db.session.scalars(
        select(desk_session_services.c.service_id).join(
            DeskSession, DeskSession.id == desk_session_services.c.desk_session_id)
        .where(DeskSession.ended_at.is_(None))))
    services = db.session.scalars(select(Service).where(Service.active.is_(True))
                                  .order_by(Service.sort_order, Service.id)).all()
    queues = []
    for s in services:
        since = oldest.get(s.id)
        longest = int((now - since).total_seconds() // 60) if since else None
        waiting = counts.get(s.id, 0)
        queues.append({"service": s.code, "name": localized(s.names, lang),
                       "waiting": waiting, "longest_wait_minutes": longest,
                       "target_wait_minutes": s.target_wait_minutes,
                       "over_target": longest is not None and longest > s.target_wait_minutes,
                       # People wait and nobody can call them: within target or not, that
                       # is the supervisor's to fix.
                       "unserved": waiting > 0 and s.id not in served})
    return queues


def _desks(lang):
    sessions = db.session.scalars(
        select(DeskSession).where(DeskSession.ended_at.is_(None))
        .options(selectinload(DeskSession.desk), selectinload(DeskSession.staff),
                 selectinload(DeskSession.services))).all()
    held = {step.desk_id: step for step in db.session.scalars(
        select(Step).where(Step.status.in_(HELD))
        .options(selectinload(Step.visit)))}
    rows = []
    for session in sorted(sessions, key=lambda x: x.desk.id):
        step = held.get(session.desk_id)
        rows.append({"desk": session.desk.code, "desk_name": session.desk.name,
                     "staff": session.staff.display_name or session.staff.username,
                     "services": [localized(s.names, lang) for s in session.services],
                     "serving": step.visit.number if step else None,
                     "since": session.started_at.isoformat()})
    return rows


def floor_state(now, lang, silent_after_seconds):
    queues = _queues(now, lang)
    devices = device_overview(now, silent_after_seconds, lang)
    return {
        "queues": queues,
        "desks": _desks(lang),
        "boards": [d for d in devices if d["kind"] == DeviceKind.DISPLAY],
        "kiosks": [d for d in devices if d["kind"] == DeviceKind.KIOSK],
        "alerts": [q for q in queues if q["over_target"] or q["unserved"]],
    }
