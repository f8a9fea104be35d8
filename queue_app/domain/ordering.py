"""Who is next: the one rule that decides which visitor a desk calls.

Order of precedence:
1. appointments due now (earliest appointment first),
2. priority visitors (elderly, disability, pregnancy, small children), earliest queued first,
3. everybody else, longest waiting first.

A starvation guard keeps priority from crowding out the rest: once `max_priority_streak`
priority calls were made in a row for these services, a normal visitor who has waited beyond
the service's target wait is called before the next priority visitor.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Iterable, Mapping, Optional


class Reason(str, Enum):
    APPOINTMENT_DUE = "appointment_due"
    PRIORITY = "priority"
    LONGEST_WAITING = "longest_waiting"
    STARVATION_GUARD = "starvation_guard"


@dataclass(frozen=True)
class Candidate:
    """One visitor's step that may be waiting for a desk."""
    step_id: int
    service: str
    queued_at: datetime
    priority: bool = False
    appointment_at: Optional[datetime] = None
    # False while an earlier step of the same visit is not finished.
    ready: bool = True


@dataclass(frozen=True)
class CallPolicy:
    max_priority_streak: int = 3
    appointment_due_early: timedelta = timedelta(minutes=5)
    target_wait: Mapping[str, timedelta] = field(default_factory=dict)
    default_target_wait: timedelta = timedelta(minutes=30)

    def target_for(self, service: str) -> timedelta:
        return self.target_wait.get(service, self.default_target_wait)


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    reason: Reason


def _is_due(candidate: Candidate, now: datetime, policy: CallPolicy) -> bool:
    return (candidate.appointment_at is not None
            and candidate.appointment_at - policy.appointment_due_early <= now)


def _fifo(candidate: Candidate):
    # step_id breaks ties so equal timestamps still give one stable order.
    return (candidate.queued_at, candidate.step_id)


def eligible(candidates: Iterable[Candidate], desk_services) -> list:
    services = set(desk_services)
    return [c for c in candidates if c.ready and c.service in services]


def pick_next(candidates: Iterable[Candidate], desk_services, now: datetime,
              policy: CallPolicy = CallPolicy(), priority_streak: int = 0) -> Optional[Choice]:
    """The visitor this desk should call now, and why; None when nobody waits for it."""
    pool = eligible(candidates, desk_services)
    if not pool:
        return None
    due = [c for c in pool if _is_due(c, now, policy)]
    if due:
        return Choice(min(due, key=lambda c: (c.appointment_at, *_fifo(c))),
                      Reason.APPOINTMENT_DUE)
    priority = sorted((c for c in pool if c.priority), key=_fifo)
    normal = sorted((c for c in pool if not c.priority), key=_fifo)
    if priority:
        if priority_streak >= policy.max_priority_streak:
            overdue = [c for c in normal
                       if now - c.queued_at > policy.target_for(c.service)]
            if overdue:
                return Choice(overdue[0], Reason.STARVATION_GUARD)
        return Choice(priority[0], Reason.PRIORITY)
    return Choice(normal[0], Reason.LONGEST_WAITING)


def due_by(now: datetime, policy: CallPolicy) -> datetime:
    """Appointments at or before this moment count as due now."""
    return now + policy.appointment_due_early


def rank(candidate: Candidate, now: datetime, policy: CallPolicy = CallPolicy()):
    """Sort key of a waiting step within its service: due appointments (earliest first),
    then priority, then everybody else, each longest waiting first."""
    if _is_due(candidate, now, policy):
        return (0, candidate.appointment_at, *_fifo(candidate))
    return (1 if candidate.priority else 2, now, *_fifo(candidate))


def queue_position(target_step_id: int, candidates: Iterable[Candidate], now: datetime,
                   policy: CallPolicy = CallPolicy()) -> int:
    """1-based place of a waiting step among those of its service (1 = called next).

    This is the order pick_next follows when no starvation guard fires, so the position a
    visitor is shown matches what happens unless fairness intervenes.
    """
    pool = [c for c in candidates if c.ready]
    target = next((c for c in pool if c.step_id == target_step_id), None)
    if target is None:
        raise ValueError("target is not among the waiting candidates")
    same = [c for c in pool if c.service == target.service]
    ordered = sorted(same, key=lambda c: rank(c, now, policy))
    return ordered.index(target) + 1


def queue_positions(candidates: Iterable[Candidate], now: datetime,
                    policy: CallPolicy = CallPolicy()) -> dict:
    """queue_position of every ready candidate at once ({step_id: position}): one sort per
    service, so a call that moves a whole queue costs one pass, not one pass per visitor."""
    by_service = {}
    for c in candidates:
        if c.ready:
            by_service.setdefault(c.service, []).append(c)
    positions = {}
    for same in by_service.values():
        same.sort(key=lambda c: rank(c, now, policy))
        for place, c in enumerate(same, start=1):
            positions[c.step_id] = place
    return positions


def heads(candidates: Iterable[Candidate], now: datetime,
          policy: CallPolicy = CallPolicy()) -> list:
    """The few candidates pick_next can ever choose among: per service the earliest due
    appointment, the longest-waiting priority visitor and the longest-waiting other one.
    pick_next on these gives the same choice as on the whole queue, so a database query
    only has to find them (three indexed "first row" reads per service)."""
    best = {}
    for c in candidates:
        if not c.ready:
            continue
        keys = [("normal" if not c.priority else "priority", _fifo(c))]
        if _is_due(c, now, policy):
            keys.append(("due", (c.appointment_at, *_fifo(c))))
        for kind, key in keys:
            slot = (c.service, kind)
            if slot not in best or key < best[slot][0]:
                best[slot] = (key, c)
    unique = {c.step_id: c for _, c in best.values()}
    return sorted(unique.values(), key=lambda c: c.step_id)


def priority_streak(recent_reasons: Iterable[str]) -> int:
    """How many of the latest calls (newest first) in a row went to priority visitors."""
    streak = 0
    for reason in recent_reasons:
        if reason != Reason.PRIORITY.value:
            break
        streak += 1
    return streak
