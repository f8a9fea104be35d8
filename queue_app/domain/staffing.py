"""How many desks an hour needs: Erlang C, the queueing model call centres staff by.

Visitors arrive at random (Poisson) at `arrivals_per_hour`, each takes on average
`mean_service_minutes`; with `desks` open, Erlang C gives the probability a visitor has
to wait at all, and from it the share served within the target wait. The answer is the
fewest desks that serve `service_level` of visitors within `target_wait_minutes`.
"""
import math


def erlang_c(desks: int, offered_load: float) -> float:
    """Probability of waiting with `desks` servers and `offered_load` Erlangs (< desks)."""
    if desks <= 0:
        raise ValueError("at least one desk")
    if offered_load <= 0:
        return 0.0
    if offered_load >= desks:
        return 1.0
    # Erlang B by its stable recurrence, then C from B.
    b = 1.0
    for k in range(1, desks + 1):
        b = offered_load * b / (k + offered_load * b)
    rho = offered_load / desks
    return b / (1 - rho + rho * b)


def service_level(desks: int, arrivals_per_hour: float, mean_service_minutes: float,
                  target_wait_minutes: float) -> float:
    """Share of visitors called within the target wait."""
    if arrivals_per_hour <= 0:
        return 1.0
    load = arrivals_per_hour * mean_service_minutes / 60
    if load >= desks:
        return 0.0
    waiting = erlang_c(desks, load)
    return 1 - waiting * math.exp(-(desks - load) * target_wait_minutes / mean_service_minutes)


def desks_needed(arrivals_per_hour: float, mean_service_minutes: float,
                 target_wait_minutes: float, level: float = 0.8) -> int:
    """Fewest desks serving `level` of visitors within the target; 0 when nobody comes."""
    if arrivals_per_hour <= 0 or mean_service_minutes <= 0:
        return 0
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    load = arrivals_per_hour * mean_service_minutes / 60
    # Start at the first stable count; the level rises towards 1 with every desk added,
    # so the loop ends (within a few desks of the load for any level below 1).
    desks = max(1, math.floor(load) + 1)
    while service_level(desks, arrivals_per_hour, mean_service_minutes,
                        target_wait_minutes) < level:
        desks += 1
    return desks
