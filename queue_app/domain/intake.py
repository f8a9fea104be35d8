"""Capacity-aware intake: may one more walk-in visitor take a ticket for a service today?

A ticket the desks cannot reach before closing only ends as an expired visit after hours of
waiting; the kiosk offers the next free appointment instead. The rule uses the same typical
service time as the wait estimate, so "too late for today" and "about 40 minutes" agree.
"""
import math
from datetime import datetime, time, timedelta
from typing import Iterable, Optional, Sequence

from .estimates import service_minutes


def closing_time(opening_ends: Iterable[time], day, tz) -> Optional[datetime]:
    """When the walk-in desks close on `day`: the latest end among the opening hours that
    apply that day (local wall time). None when no hours apply: no limit is known."""
    ends = list(opening_ends)
    if not ends:
        return None
    return datetime.combine(day, max(ends), tz)


def minutes_to_serve_one_more(open_desks: int, waiting: int, recent: Sequence[float],
                              default_minutes: float) -> Optional[float]:
    """Minutes from now until one more visitor would be served to the end: the wait the
    estimate would promise them (everyone waiting goes first) plus their own service.
    None while no desk serves the service."""
    if open_desks < 1:
        return None
    typical = service_minutes(recent, default_minutes)
    return max(0, waiting) * typical / open_desks + typical


def can_take_one_more(now: datetime, closes_at: Optional[datetime], open_desks: int,
                      waiting: int, recent: Sequence[float], default_minutes: float) -> bool:
    """False when the desks still open today cannot serve one more visitor before closing.

    True while no closing time is known, and while no desk serves the service yet (before
    the morning's first desk opens, a ticket still waits for it; its estimate says so)."""
    if closes_at is None:
        return True
    needed = minutes_to_serve_one_more(open_desks, waiting, recent, default_minutes)
    if needed is None:
        return True
    return now + timedelta(minutes=math.ceil(needed)) <= closes_at
