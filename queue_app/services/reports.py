"""Figures for the supervisor, from what really happened: per service and per hour."""
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain import staffing
from ..domain.lifecycle import StepStatus
from ..domain.stats import mean, percentile
from ..extensions import db
from ..models import DeskSession, Service, Step, Visit
from .queue_state import served_minutes

SERVED = (StepStatus.DONE, StepStatus.TRANSFERRED)
SERVICE_LEVEL = 0.8


def _minutes(later, earlier):
    return (later - earlier).total_seconds() / 60


def _round(value):
    return None if value is None else round(value, 1)


def _services():
    return db.session.scalars(
        select(Service).where(Service.active.is_(True)).order_by(Service.sort_order)).all()


def _steps_of(day):
    return db.session.execute(
        select(Step.service_id, Step.status, Step.queued_at, Step.called_at, Step.started_at,
               Step.finished_at)
        .join(Visit, Step.visit_id == Visit.id).where(Visit.day == day)).all()


def _by_service(steps):
    grouped = defaultdict(list)
    for step in steps:
        grouped[step.service_id].append(step)
    return grouped


def _service_minutes(steps):
    minutes = (served_minutes(s) for s in steps if s.status == StepStatus.DONE)
    return [m for m in minutes if m is not None]


def daily(day):
    steps_by_service = _by_service(_steps_of(day))
    rows = []
    for service in _services():
        steps = steps_by_service[service.id]
        waits = [_minutes(s.called_at, s.queued_at) for s in steps
                 if s.called_at and s.queued_at]
        rows.append({
            "service": service.code,
            "issued": len(steps),
            "served": sum(1 for s in steps if s.status in SERVED),
            "no_show": sum(1 for s in steps if s.status == StepStatus.NO_SHOW),
            "wait_p50_minutes": _round(percentile(waits, 50)),
            "wait_p90_minutes": _round(percentile(waits, 90)),
            "service_mean_minutes": _round(mean(_service_minutes(steps))),
            "target_wait_minutes": service.target_wait_minutes,
        })
    return {"date": day.isoformat(), "services": rows}


def _hours(day, tz):
    """The local day's hours as aware [start, end) pairs: 23 or 25 on changeover days.

    Stepping in UTC keeps each hour sixty minutes long across the clock change.
    """
    cursor = datetime.combine(day, time(0), tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
    hours = []
    while cursor < end:
        following = min(cursor + timedelta(hours=1), end)
        hours.append((cursor.astimezone(tz), following.astimezone(tz)))
        cursor = following
    return hours


def staffing_by_hour(day, tz):
    services = _services()
    steps = _steps_of(day)
    hours = _hours(day, tz)
    arrivals = defaultdict(int)
    for step in steps:
        if step.queued_at:
            local = step.queued_at.astimezone(tz)
            for index, (begin, end) in enumerate(hours):
                if begin <= local < end:
                    arrivals[(index, step.service_id)] += 1
                    break
    sessions = db.session.scalars(
        select(DeskSession).where(DeskSession.started_at < hours[-1][1],
                                  (DeskSession.ended_at.is_(None))
                                  | (DeskSession.ended_at > hours[0][0]))
        .options(selectinload(DeskSession.services))).all()
    present = defaultdict(int)
    for session in sessions:
        for index, (begin, end) in enumerate(hours):
            if session.started_at < end and (session.ended_at is None
                                             or session.ended_at > begin):
                for service in session.services:
                    present[(index, service.id)] += 1
    mean_minutes = {service_id: mean(_service_minutes(group))
                    for service_id, group in _by_service(steps).items()}
    rows = []
    for index, (begin, _end) in enumerate(hours):
        for service in services:
            came, desks = arrivals[(index, service.id)], present[(index, service.id)]
            if not came and not desks:
                continue
            minutes = mean_minutes.get(service.id) or service.duration_minutes
            rows.append({
                "hour": begin.isoformat(),
                "service": service.code,
                "arrivals": came,
                "desks_present": desks,
                "desks_needed": staffing.desks_needed(came, minutes,
                                                      service.target_wait_minutes,
                                                      SERVICE_LEVEL),
            })
    return {"date": day.isoformat(), "service_level": SERVICE_LEVEL, "hours": rows}
