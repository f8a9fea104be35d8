"""Waiting-time estimate shown to a visitor and on the phone page."""
import math
from statistics import median
from typing import Optional, Sequence

MIN_SAMPLES = 3


def service_minutes(recent: Sequence[float], default_minutes: float) -> float:
    """Typical minutes per visitor: the median of recent real service times once there are
    enough, because one 40-minute case must not inflate everybody's estimate."""
    samples = [m for m in recent if m >= 0]
    if len(samples) >= MIN_SAMPLES:
        return float(median(samples))
    return float(default_minutes)


def estimate_wait_minutes(position: int, recent: Sequence[float], default_minutes: float,
                          desks_serving: int) -> Optional[int]:
    """Minutes until a visitor at `position` (1 = next) is likely called; never negative.

    None while no open desk serves the service: nobody can be called, so any number (and
    "very soon" above all) would be a promise nobody keeps.
    """
    if desks_serving < 1:
        return None
    ahead = max(0, position - 1)
    minutes = ahead * service_minutes(recent, default_minutes) / desks_serving
    return max(0, math.ceil(minutes))
