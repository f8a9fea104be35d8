"""What a clerk's desk page shows: their session, the visitors they hold or parked, and how
many wait for each active service."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import places
from ..domain.lifecycle import HELD, StepStatus
from ..extensions import db
from ..models import Desk, DeskSession, Service, Staff, Step
from .catalog import list_desks
from .desk_sessions import get_desk, open_session, session_view
from .queue_state import get_visit, ticket_view, waiting_counts


def my_session(staff_id):
    session = db.session.scalar(
        select(DeskSession).where(DeskSession.staff_id == staff_id,
                                  DeskSession.ended_at.is_(None)))
    return session_view(session) if session is not None else None


def desk_choices(staff_id):
    """Desks with who sits there now and what each offers, the services this clerk may
    serve, and every service either names (in the catalogue's order): the desk page shows
    those, each available or with the reason it is not (domain.places.choices)."""
    taken = dict(db.session.execute(
        select(Desk.code, Staff.username).join(DeskSession, DeskSession.desk_id == Desk.id)
        .join(Staff, Staff.id == DeskSession.staff_id)
        .where(DeskSession.ended_at.is_(None))).all())
    desks = [{**d, "taken_by": taken.get(d["code"])} for d in list_desks()]
    staff = db.session.scalar(select(Staff).where(Staff.id == staff_id)
                              .options(selectinload(Staff.services)))
    competent = [s.code for s in sorted(staff.services, key=lambda s: (s.sort_order, s.id))]
    listed = {code for d in desks for code in d["services"]} | set(competent)
    order = [code for code in db.session.scalars(
        select(Service.code).order_by(Service.sort_order, Service.id)) if code in listed]
    return desks, competent, order


def choices_at(desk, competent, order):
    """What this clerk may choose at this desk (a desk_choices entry), with reasons."""
    return places.choices(desk["services"] if desk else [], competent, order)


def overview(desk_code, staff_id, now):
    """None when this clerk is not signed in at this desk."""
    desk = get_desk(desk_code)
    session = open_session(desk.id)
    if session is None or session.staff_id != staff_id:
        return None
    mine = db.session.scalars(select(Step).where(
        Step.staff_id == staff_id, Step.status.in_(HELD | {StepStatus.PARKED}))
        .order_by(Step.called_at)).all()
    held, parked = [], []
    for step in mine:
        visit = get_visit(step.visit.public_id)
        view = ticket_view(visit, now)
        view["step_status"] = step.status
        view["appointment_at"] = visit.appointment_at
        view["still_to_do"] = [s["service"] for s in view["steps"]
                               if s["status"] == StepStatus.PENDING]
        view["now_serving"] = step.service.code
        (parked if step.status == StepStatus.PARKED else held).append(view)
    counts = waiting_counts()
    active = [s.code for s in session.services]
    return {"session": session_view(session), "held": held, "parked": parked,
            "waiting": {code: counts.get(code, 0) for code in active}}
