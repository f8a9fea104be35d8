"""Which appointment slots are free: opening rules, closures, lead time, horizon, capacity.

Slots are laid out in the centre's local wall time (a rule says 08:00–12:00 whatever the
season) and handed out as aware datetimes, so a slot after the change to summer time is
still at 08:00 local, one hour earlier in UTC. A local time that does not exist (the hour
skipped in spring) is never a slot.
"""
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional


@dataclass(frozen=True)
class OpeningRule:
    """When an office takes appointments, and how many at once."""
    weekdays: frozenset            # 0 = Monday
    start: time
    end: time
    parallel: int                  # desks taking appointments side by side
    slot_minutes: int
    services: frozenset            # service codes this rule offers
    valid_from: Optional[date] = None
    valid_until: Optional[date] = None
    every_n_weeks: int = 1
    anchor: Optional[date] = None  # a day in a week that counts as "on" for every_n_weeks

    def applies(self, day):
        if day.weekday() not in self.weekdays:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        if self.every_n_weeks > 1:
            anchor = self.anchor or self.valid_from or date(2024, 1, 1)
            weeks = (_monday(day) - _monday(anchor)).days // 7
            return weeks % self.every_n_weeks == 0
        return True


@dataclass(frozen=True)
class Closure:
    """A closed day (no times) or closed hours on a day, in local wall time."""
    day: date
    start: Optional[time] = None
    end: Optional[time] = None

    def closes(self, local_start, local_end):
        if local_start.date() != self.day:
            return False
        if self.start is None:
            return True
        closed_from = datetime.combine(self.day, self.start, local_start.tzinfo)
        closed_to = datetime.combine(self.day, self.end or time.max, local_start.tzinfo)
        return local_start < closed_to and closed_from < local_end


@dataclass(frozen=True)
class BookingWindow:
    lead: timedelta = timedelta(hours=2)    # earliest bookable start, from now
    horizon_days: int = 60                  # latest bookable day, from today
    # Gradual release: the day entering the horizon opens at this local time each morning
    # rather than at midnight, so the whole city does not compete at 00:00.
    release_at: Optional[time] = None


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def _monday(day):
    return day - timedelta(days=day.weekday())


def _local(day, wall, tz):
    """The aware local time, or None where the wall clock skips it (spring forward)."""
    moment = datetime.combine(day, wall, tz)
    round_trip = moment.astimezone(timezone.utc).astimezone(tz)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def day_start(day, tz):
    """Local midnight of `day`, aware (midnight exists in Europe/Berlin every day)."""
    return datetime.combine(day, time(0), tz)


def last_bookable_day(now, tz, window):
    local = now.astimezone(tz)
    days = window.horizon_days
    if window.release_at is not None and local.time() < window.release_at:
        days -= 1
    return local.date() + timedelta(days=days)


def grid(rule, day, tz):
    """The rule's slot starts on `day` as aware local datetimes, in order."""
    step = timedelta(minutes=rule.slot_minutes)
    cells = []
    wall = datetime.combine(day, rule.start)
    end = datetime.combine(day, rule.end)
    # Only a changeover day needs each wall time checked; any other day has one offset,
    # and a fixed-offset zone makes the many comparisons and hashes that follow cheap.
    offset = day_start(day, tz).utcoffset()
    steady = offset == datetime.combine(day, time(23, 59), tz).utcoffset()
    fixed = timezone(offset) if steady else None
    while wall + step <= end:
        moment = wall.replace(tzinfo=fixed) if steady else _local(day, wall.time(), tz)
        if moment is not None:
            cells.append(moment)
        wall += step
    return cells


def cells_needed(rule, duration_minutes):
    return max(1, math.ceil(duration_minutes / rule.slot_minutes))


def _runs(rule, cells, duration_minutes):
    """Every run of contiguous cells long enough for the duration: (first, cells)."""
    n = cells_needed(rule, duration_minutes)
    span = timedelta(minutes=rule.slot_minutes) * (n - 1)
    for i in range(len(cells) - n + 1):
        # Contiguous in real time: a skipped (nonexistent) hour breaks a run.
        if cells[i + n - 1] - cells[i] == span:
            yield cells[i:i + n]


def free_slots(rules, closures, taken, services, duration_minutes, now, tz, first_day,
               last_day, window, limit=None):
    """Free starts for a booking of `services` lasting `duration_minutes`.

    `taken` maps a cell's start (aware, any zone) to how many appointments hold it.
    A slot is offered only when every cell it covers is open, not closed and below the
    rule's parallel capacity, it starts no earlier than now + lead, and its day is within
    the horizon.
    """
    services = frozenset(services)
    earliest = now + window.lead
    length = timedelta(minutes=duration_minutes)
    day = max(first_day, now.astimezone(tz).date())
    last = min(last_day, last_bookable_day(now, tz, window))
    closed_days = {c.day for c in closures if c.start is None}
    partly_closed = {}
    for c in closures:
        if c.start is not None:
            partly_closed.setdefault(c.day, []).append(c)
    found = []
    while day <= last:
        if day not in closed_days:
            for rule in rules:
                if not services <= rule.services or not rule.applies(day):
                    continue
                found += _free_on(rule, grid(rule, day, tz), taken,
                                  partly_closed.get(day, ()), duration_minutes, earliest, length)
                if limit is not None and len(found) >= limit:
                    return sorted(found, key=lambda s: s.start)[:limit]
        day += timedelta(days=1)
    return sorted(found, key=lambda s: s.start)


def _free_on(rule, cells, taken, closures, duration_minutes, earliest, length):
    """One rule's free starts on one day: each cell is judged once (capacity, closed
    hours), then every run of contiguous open cells long enough is a slot."""
    step = timedelta(minutes=rule.slot_minutes)
    n = cells_needed(rule, duration_minutes)
    # Aware datetimes hash and compare by instant, whatever their zone: no conversion needed.
    open_ = [taken.get(cell, 0) < rule.parallel
             and not any(c.closes(cell, cell + step) for c in closures) for cell in cells]
    span = step * (n - 1)
    slots = []
    for i in range(len(cells) - n + 1):
        start = cells[i]
        # Real elapsed time: a skipped (nonexistent) hour breaks a run.
        if start < earliest or cells[i + n - 1] - start != span or not all(open_[i:i + n]):
            continue
        slots.append(Slot(start, start + length))
    return slots


def cells_for(rules, services, start, duration_minutes, tz):
    """The rule and cell starts a booking at `start` covers, or None when `start` is not a
    slot of any rule offering these services."""
    local = start.astimezone(tz)
    services = frozenset(services)
    for rule in rules:
        if not services <= rule.services or not rule.applies(local.date()):
            continue
        for run in _runs(rule, grid(rule, local.date(), tz), duration_minutes):
            if run[0] == local:
                return rule, run
    return None
