"""May a walk-in visitor still take a ticket today? Closing time, open desks, queue length
and recent service times, handed to the pure rule in `domain.intake`."""
from datetime import time

from flask import current_app
from sqlalchemy import func, select

from ..clock import centre_tz
from ..domain.errors import Conflict
from ..domain.intake import can_take_one_more, closing_time
from ..domain.lifecycle import StepStatus
from ..extensions import db
from ..models import Step
from .availability import next_free, rules_for
from .queue_state import ServiceStats

NEXT_SLOTS = 5


class DayFull(Conflict):
    code = "day_full"


def walk_in_closing(service, now):
    """When the desks serving `service` close today (aware), or None when unknown.

    WALK_IN_CLOSES_AT: "" (default) takes the office's opening hours of the day, the hours
    it gives appointments in (walk-in desks keep the same hours in the centres we know);
    "HH:MM" is one closing time for every desk; "off" turns the intake limit off."""
    setting = (current_app.config.get("WALK_IN_CLOSES_AT") or "").strip()
    if setting.lower() == "off":
        return None
    tz = centre_tz()
    day = now.astimezone(tz).date()
    if setting:
        hours, minutes = setting.split(":")
        return closing_time([time(int(hours), int(minutes))], day, tz)
    ends = [rule.end for rule in rules_for(service.office_id) if rule.applies(day)]
    return closing_time(ends, day, tz)


def _waiting(service_ids):
    return dict(db.session.execute(
        select(Step.service_id, func.count()).where(
            Step.status == StepStatus.WAITING, Step.service_id.in_(service_ids))
        .group_by(Step.service_id)).all())


def admit(services, now):
    """Raise DayFull (409, with the next free appointment times) when the desks still open
    today cannot serve one more visitor for one of these services before closing."""
    closing = {s.id: walk_in_closing(s, now) for s in services}
    limited = [s for s in services if closing[s.id] is not None]
    if not limited:
        return      # no closing time known: nothing to weigh, no queries spent
    ids = [s.id for s in limited]
    stats = ServiceStats(ids, now)
    waiting = _waiting(ids)
    for service in limited:
        closes_at = closing[service.id]
        if can_take_one_more(now, closes_at, stats.desks[service.id], waiting.get(service.id, 0),
                             stats.recent[service.id], service.duration_minutes):
            continue
        found = next_free([service], now, now, count=NEXT_SLOTS) if service.bookable else []
        raise DayFull(f"The desks cannot serve one more visitor for {service.code} before "
                      f"they close today.", service=service.code,
                      closes_at=closes_at.isoformat(),
                      next_slots=[{"start": s.start.isoformat(), "end": s.end.isoformat()}
                                  for s in found])
