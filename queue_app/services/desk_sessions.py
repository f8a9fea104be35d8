"""Clerks signing in at a desk with the services they will serve there."""
from sqlalchemy import select

from ..database import record, write_transaction
from ..domain.domain_events import DeskServicesChanged
from ..domain import places
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.lifecycle import DESK_ROLES, HELD, INSIGHT_ROLES
from ..extensions import db
from ..models import Desk, DeskSession, Step, competencies
from .catalog import services_by_code


def get_desk(code):
    desk = db.session.scalar(select(Desk).where(Desk.code == code))
    if desk is None:
        raise NotFound(f"No desk {code!r}.", code="desk_not_found")
    return desk


def open_session(desk_id, lock=False):
    query = select(DeskSession).where(DeskSession.desk_id == desk_id,
                                      DeskSession.ended_at.is_(None))
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def held_steps(staff_id):
    return db.session.scalars(select(Step).where(
        Step.staff_id == staff_id, Step.status.in_(HELD))).all()


def session_view(session):
    return {
        "desk": session.desk.code,
        "desk_name": session.desk.name,
        "zone": session.desk.zone.code,
        "staff": session.staff.username,
        "services": [s.code for s in session.services],
        "started_at": session.started_at.isoformat(),
    }


def sign_in(desk_code, staff, service_codes, now):
    """Open (or change) the clerk's session at a desk. Moving desks closes the old one."""
    if staff.role not in DESK_ROLES:
        raise Forbidden("Only clerks and supervisors sign in at desks.", code="role_forbidden")
    with write_transaction():
        desk = get_desk(desk_code)
        services = services_by_code(service_codes, include_inactive=True)
        allowed = set(db.session.scalars(select(competencies.c.service_id).where(
            competencies.c.staff_id == staff.id)))
        outside = [s.code for s in services if s.id not in allowed]
        if outside:
            raise Forbidden(f"Not among your competencies: {', '.join(outside)}.",
                            code="not_competent", services=outside)
        if not desk.active:
            raise Conflict(f"{desk.name} is switched off.", code="desk_inactive")
        elsewhere = places.not_offered([s.code for s in desk.services],
                                       [s.code for s in services])
        if elsewhere:
            raise InvalidInput(f"{desk.name} does not offer: {', '.join(elsewhere)}.",
                               code="not_offered_here", services=elsewhere)
        current = open_session(desk.id, lock=True)
        if current is not None and current.staff_id != staff.id:
            raise Conflict(f"{desk.name} is taken by another clerk.", code="desk_occupied")
        mine = db.session.scalar(select(DeskSession).where(
            DeskSession.staff_id == staff.id, DeskSession.ended_at.is_(None)))
        if mine is not None and mine.desk_id != desk.id:
            if held_steps(staff.id):
                raise Conflict("Finish or hand on your current visitor first.",
                               code="ticket_in_progress")
            mine.ended_at = now
            db.session.flush()
            mine = None
        if mine is None:
            mine = DeskSession(desk=desk, staff_id=staff.id, started_at=now)
            db.session.add(mine)
        previous = {s.id for s in mine.services}
        mine.services = services
        db.session.flush()
        view = session_view(mine)
        record(DeskServicesChanged(now, services=tuple(previous | {s.id for s in services})))
    return view


def sign_out(desk_code, staff, now):
    with write_transaction():
        desk = get_desk(desk_code)
        current = open_session(desk.id, lock=True)
        if current is None:
            return
        if current.staff_id != staff.id and staff.role not in INSIGHT_ROLES:
            raise Forbidden("Another clerk is signed in at this desk.", code="not_your_desk")
        if held_steps(current.staff_id):
            raise Conflict("Finish or hand on the current visitor first.",
                           code="ticket_in_progress")
        current.ended_at = now
        record(DeskServicesChanged(now, services=tuple(s.id for s in current.services)))
