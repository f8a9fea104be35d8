"""The roll-up behind every report: one cell per service and hour, and the figures a
period of cells gives. Pure: the service layer reads the facts and stores the cells.

A cell's hour is the UTC start of a clock hour (the centre's offsets are whole hours), so
a day with a clock change has 23 or 25 cells and every cell is sixty minutes long. Waits
are kept as {whole minutes: count}: percentiles over a year stay exact to the minute and a
cell stays small.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta, timezone

from . import staffing
from .lifecycle import StepStatus, VisitSource
from .stats import histogram_percentile

SERVED = frozenset({StepStatus.DONE, StepStatus.TRANSFERRED})
SERVICE_LEVEL = 0.8
# The estimate-accuracy report's "close enough".
ACCURATE_WITHIN_MINUTES = 10


@dataclass
class Cell:
    arrivals: int = 0
    walk_ins: int = 0
    appointments: int = 0
    served: int = 0
    no_shows: int = 0
    within_target: int = 0
    service_minutes: float = 0.0
    service_count: int = 0
    desk_minutes: float = 0.0
    waits: dict = field(default_factory=dict)            # {minutes: count}
    promise_errors: dict = field(default_factory=dict)   # {real - promised minutes: count}

    def counts_only(self):
        return Cell(self.arrivals, self.walk_ins, self.appointments, self.served,
                    self.no_shows, self.within_target, self.service_minutes,
                    self.service_count, self.desk_minutes)

    def add(self, other):
        # Spelled out: this runs once per cell of a year's report.
        self.arrivals += other.arrivals
        self.walk_ins += other.walk_ins
        self.appointments += other.appointments
        self.served += other.served
        self.no_shows += other.no_shows
        self.within_target += other.within_target
        self.service_minutes += other.service_minutes
        self.service_count += other.service_count
        self.desk_minutes += other.desk_minutes
        if other.waits:
            _merge(self.waits, other.waits)
        if other.promise_errors:
            _merge(self.promise_errors, other.promise_errors)


@dataclass(frozen=True)
class StepFact:
    service_id: int
    source: str
    status: str
    queued_at: datetime
    called_at: datetime = None
    started_at: datetime = None
    finished_at: datetime = None
    promised_wait_minutes: int = None


@dataclass(frozen=True)
class SessionFact:
    started_at: datetime
    ended_at: datetime          # None while open
    service_ids: tuple


def _merge(into, counts):
    for key, n in counts.items():
        into[key] = into.get(key, 0) + n


def _bump(counts, key):
    counts[key] = counts.get(key, 0) + 1


def hour_of(moment):
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _minutes(later, earlier):
    return (later - earlier).total_seconds() / 60


def cells_of_day(steps, sessions, targets, day_start, day_end, now):
    """{(service_id, hour): Cell} for one local day [day_start, day_end), from the steps
    queued that day and the desk sessions open during it. `targets`: service_id → target
    wait minutes."""
    cells = defaultdict(Cell)
    for step in steps:
        if step.queued_at is None:
            continue
        cell = cells[(step.service_id, hour_of(step.queued_at))]
        cell.arrivals += 1
        if step.source == VisitSource.APPOINTMENT:
            cell.appointments += 1
        else:
            cell.walk_ins += 1
        if step.status in SERVED:
            cell.served += 1
        elif step.status == StepStatus.NO_SHOW:
            cell.no_shows += 1
        if step.called_at is not None:
            wait = _minutes(step.called_at, step.queued_at)
            _bump(cell.waits, round(wait))
            if wait <= targets.get(step.service_id, 0):
                cell.within_target += 1
            if step.promised_wait_minutes is not None:
                _bump(cell.promise_errors, round(wait - step.promised_wait_minutes))
        begun = step.started_at or step.called_at
        if step.status == StepStatus.DONE and begun and step.finished_at:
            cell.service_minutes += _minutes(step.finished_at, begun)
            cell.service_count += 1
    for session in sessions:
        start = max(session.started_at, day_start)
        end = min(session.ended_at or now, day_end)
        cursor = hour_of(start)
        while cursor < end:
            following = cursor + timedelta(hours=1)
            minutes = _minutes(min(end, following), max(start, cursor))
            if minutes > 0:
                for service_id in session.service_ids:
                    cells[(service_id, cursor)].desk_minutes += minutes
            cursor = following
    return dict(cells)


def distributions(cells):
    """Per service of one day's cells: (service_id, waits, promise_errors), merged over the
    day's hours — what the roll-up keeps per day."""
    merged = {}
    for (sid, _hour), cell in cells.items():
        waits, errors = merged.setdefault(sid, ({}, {}))
        _merge(waits, cell.waits)
        _merge(errors, cell.promise_errors)
    return [(sid, waits, errors) for sid, (waits, errors) in merged.items()
            if waits or errors]


def _share(part, whole):
    return round(part / whole, 3) if whole else None


def _round(value, digits=1):
    return None if value is None else round(value, digits)


def local_of(hour, tz):
    """(ISO weekday, local hour, Monday of the local week) of a cell's hour."""
    moment = hour.astimezone(tz)
    return (moment.isoweekday(), moment.hour,
            moment.date() - timedelta(days=moment.weekday()))


@dataclass
class Totals:
    """A period's cells summed the ways the reports need them. Filled from the stored
    roll-up by SQL sums and from computed days cell by cell; both add up the same."""
    per_service: dict = field(default_factory=lambda: defaultdict(Cell))
    heat: dict = field(default_factory=lambda: defaultdict(int))    # (weekday, hour) → n
    weekly: dict = field(default_factory=lambda: defaultdict(Cell))  # Monday → Cell
    load: list = field(default_factory=list)   # (service_id, local hour, arrivals, desk min)

    def add_cell(self, sid, local, cell):
        weekday, hour, monday = local
        self.per_service[sid].add(cell)
        self.heat[(weekday, hour)] += cell.arrivals
        week = self.weekly[monday]
        week.arrivals += cell.arrivals
        week.within_target += cell.within_target
        self.load.append((sid, hour, cell.arrivals, cell.desk_minutes))

    def add_spread(self, sid, day, waits, errors):
        _merge(self.per_service[sid].waits, waits)
        _merge(self.per_service[sid].promise_errors, errors)
        _merge(self.weekly[day - timedelta(days=day.weekday())].waits, waits)


def figures(totals, services, first, last):
    """Every figure of the reports page for the local days first..last, from the period's
    `totals` (of these services only); `services`: service_id → object with code,
    target_wait_minutes, duration_minutes (in the order to report them)."""
    days = (last - first).days + 1
    weeks = days / 7
    per_service = {sid: totals.per_service.get(sid) or Cell() for sid in services}
    heat, weekly, load = totals.heat, totals.weekly, totals.load
    mean_service = {sid: (c.service_minutes / c.service_count) if c.service_count else None
                    for sid, c in per_service.items()}
    hourly = defaultdict(lambda: [0.0, 0.0])   # local hour → [needed, open] desk-hours
    needed_total = open_total = gap_total = 0.0
    for sid, local_hour, arrivals, desk_minutes in load:
        service = services[sid]
        needed = _desks_needed(arrivals, mean_service[sid] or service.duration_minutes,
                               service.target_wait_minutes)
        opened = desk_minutes / 60
        hourly[local_hour][0] += needed
        hourly[local_hour][1] += opened
        needed_total += needed
        open_total += opened
        gap_total += max(0.0, needed - opened)
    total = Cell()
    for cell in per_service.values():
        total.add(cell)
    rows = [_service_row(service.code, per_service[sid], service.target_wait_minutes,
                         mean_service[sid]) for sid, service in services.items()]
    return {
        "from": first.isoformat(), "to": last.isoformat(), "days": days,
        "services": rows,
        "total": _service_row(None, total, None, (total.service_minutes / total.service_count)
                              if total.service_count else None),
        "heat_map": [{"weekday": wd, "hour": h, "arrivals": n}
                     for (wd, h), n in sorted(heat.items())],
        "weeks": [{"week": monday.isoformat(), "arrivals": c.arrivals,
                   "wait_p50_minutes": histogram_percentile(c.waits, 50),
                   "wait_p90_minutes": histogram_percentile(c.waits, 90),
                   "within_target_share": _share(c.within_target, sum(c.waits.values()))}
                  for monday, c in sorted(weekly.items())],
        "staffing": {
            "service_level": SERVICE_LEVEL,
            "needed_desk_hours_per_week": _round(needed_total / weeks),
            "open_desk_hours_per_week": _round(open_total / weeks),
            "gap_desk_hours_per_week": _round(gap_total / weeks),
            "by_hour": [{"hour": h, "needed_per_day": _round(v[0] / days, 2),
                         "open_per_day": _round(v[1] / days, 2)}
                        for h, v in sorted(hourly.items())]},
        "accuracy": accuracy(total.promise_errors),
    }


@lru_cache(maxsize=4096)
def _desks_needed(arrivals, minutes, target):
    # A year has ~30,000 cells but only a few hundred distinct (arrivals, service) pairs.
    return staffing.desks_needed(arrivals, minutes, target, SERVICE_LEVEL)


def _service_row(code, c, target, mean_minutes):
    waited = sum(c.waits.values())
    row = {"arrivals": c.arrivals, "served": c.served, "no_shows": c.no_shows,
           "walk_ins": c.walk_ins, "appointments": c.appointments,
           "wait_p50_minutes": histogram_percentile(c.waits, 50),
           "wait_p90_minutes": histogram_percentile(c.waits, 90),
           "within_target_share": _share(c.within_target, waited),
           "service_mean_minutes": _round(mean_minutes),
           "no_show_share": _share(c.no_shows, c.arrivals)}
    if code is not None:
        row = {"service": code, "target_wait_minutes": target, **row}
    return row


def accuracy(errors):
    """Promised against real wait: median error (real - promised; above 0 the visitor
    waited longer than told) and the share within ±10 minutes."""
    count = sum(errors.values())
    close = sum(n for e, n in errors.items() if abs(e) <= ACCURATE_WITHIN_MINUTES)
    return {"count": count, "median_error_minutes": histogram_percentile(errors, 50),
            "within_10_minutes_share": _share(close, count)}
