"""Free appointment slots: opening rules, closures and public holidays from the database and
the `holidays` package, capacity already taken, handed to the pure slot calculation."""
import threading
from datetime import time, timedelta
from functools import lru_cache

import holidays
from flask import current_app
from sqlalchemy import func, or_, select

from ..clock import centre_tz
from ..database import increment
from ..domain import slots
from ..domain.errors import InvalidInput
from ..extensions import db
from ..models import CalendarVersion, Closure, OpeningRule, SlotClaim
from .catalog import services_by_code

MAX_SPAN_DAYS = 92


def _time(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def booking_window():
    cfg = current_app.config
    release = cfg["BOOKING_RELEASE_AT"]
    return slots.BookingWindow(lead=timedelta(minutes=cfg["BOOKING_LEAD_MINUTES"]),
                               horizon_days=cfg["BOOKING_HORIZON_DAYS"],
                               release_at=_time(release) if release else None)


def bookable_services(codes):
    """The services of one booking: bookable, and all of one office (an office's desks serve
    its own services one after another; another office has its own calendar)."""
    if not codes:
        raise InvalidInput("Choose at least one service.", code="no_services")
    if len(set(codes)) != len(codes):
        raise InvalidInput("Each service may appear once.", code="duplicate_service")
    services = services_by_code(codes)
    not_bookable = [s.code for s in services if not s.bookable]
    if not_bookable:
        raise InvalidInput(f"Not bookable online: {', '.join(not_bookable)}.",
                           code="not_bookable", services=not_bookable)
    if len({s.office_id for s in services}) > 1:
        raise InvalidInput("Services of different offices cannot be booked together.",
                           code="not_combinable")
    return services


def rules_for(office_id):
    rows = db.session.scalars(select(OpeningRule).where(OpeningRule.office_id == office_id)
                              .order_by(OpeningRule.id)).all()
    return [slots.OpeningRule(
        weekdays=frozenset(r.weekdays), start=_time(r.start_time), end=_time(r.end_time),
        parallel=r.parallel, slot_minutes=r.slot_minutes, services=frozenset(r.services),
        valid_from=r.valid_from, valid_until=r.valid_until, every_n_weeks=r.every_n_weeks,
        anchor=r.anchor) for r in rows]


@lru_cache(maxsize=16)
def _public_holidays(country, subdivision, year):
    return tuple(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


def public_holidays(country, subdivision, first, last):
    """(day, name) of the public holidays between two days, for the admin's calendar."""
    found = []
    for year in range(first.year, last.year + 1):
        found += [(day, name) for day, name in
                  holidays.country_holidays(country, subdiv=subdivision or None,
                                            years=year).items() if first <= day <= last]
    return sorted(found)


def closures_for(office_id, first, last):
    cfg = current_app.config
    found = [slots.Closure(day) for year in range(first.year, last.year + 1)
             for day in _public_holidays(cfg["HOLIDAY_COUNTRY"], cfg["HOLIDAY_SUBDIVISION"], year)
             if first <= day <= last]
    rows = db.session.scalars(select(Closure).where(
        Closure.day.between(first, last),
        or_(Closure.office_id.is_(None), Closure.office_id == office_id))).all()
    found += [slots.Closure(r.day, _time(r.start_time) if r.start_time else None,
                            _time(r.end_time) if r.end_time else None) for r in rows]
    return found


def taken_for(office_id, first, last, tz):
    start = slots.day_start(first, tz)
    end = slots.day_start(last + timedelta(days=1), tz)
    # Core, not the ORM: thousands of rows on a busy calendar, no objects needed.
    rows = db.session.connection().execute(
        select(SlotClaim.cell, func.count()).where(
            SlotClaim.office_id == office_id, SlotClaim.cell >= start, SlotClaim.cell < end)
        .group_by(SlotClaim.cell)).all()
    return dict(rows)


def find_slots(codes, first, last, now, limit=None, services=None):
    """Free slots for these services between two local dates (inclusive)."""
    if last < first:
        raise InvalidInput("`to` must not be before `from`.", code="invalid_range")
    if (last - first).days > MAX_SPAN_DAYS:
        raise InvalidInput(f"Ask for at most {MAX_SPAN_DAYS} days at once.", code="range_too_long")
    services = services or bookable_services(codes)
    office_id = services[0].office_id
    tz = centre_tz()
    window = booking_window()
    first = max(first, now.astimezone(tz).date())
    last = min(last, slots.last_bookable_day(now, tz, window))
    if last < first:
        return []
    duration = sum(s.duration_minutes for s in services)
    codes = tuple(s.code for s in services)
    key = (office_id, codes, first, last, now.replace(second=0, microsecond=0), limit, window,
           tuple(_calendar_version(office_id)))
    # One cache per app: tests build many apps on databases whose versions start alike.
    cache = current_app.extensions.setdefault(
        "slot_searches", _SearchCache(current_app.config["SLOT_SEARCH_CACHE_SIZE"]))
    return cache.get_or_compute(key, lambda: slots.free_slots(
        rules_for(office_id), closures_for(office_id, first, last),
        taken_for(office_id, first, last, tz), codes, duration, now, tz, first, last, window,
        limit=limit))


def bump_version(office_id):
    """Call inside the transaction that takes or gives back places of this office."""
    db.session.execute(increment(CalendarVersion, {"office_id": office_id}, "version"))


def _calendar_version(office_id):
    """The office's booking version, and its opening rules and closures (an admin's rare
    edits) by count and highest id."""
    return db.session.connection().execute(
        select(select(CalendarVersion.version).where(CalendarVersion.office_id == office_id)
               .scalar_subquery(),
               select(func.count(OpeningRule.id)).where(OpeningRule.office_id == office_id)
               .scalar_subquery(),
               select(func.max(OpeningRule.id)).scalar_subquery(),
               select(func.count(Closure.id)).scalar_subquery(),
               select(func.max(Closure.id)).scalar_subquery())).one()


class _SearchCache:
    """Recent searches per process. Residents in a rush ask for the same office's calendar
    again and again; between two bookings the answer does not change. Keyed by the
    calendar's version, so a booking in any process makes the next search compute afresh,
    and by the minute, so the lead time moves on.

    Single flight: when 300 residents ask for the same new version at once, one request
    computes it and the others wait for that answer instead of each reading the calendar
    (the stampede that would make the database the bottleneck of a release rush)."""

    WAIT_SECONDS = 10

    def __init__(self, size=256):
        self.size = size
        self.entries = {}
        self._lock = threading.Lock()
        self._flights = {}   # key -> Event set when its computation ends

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, value):
        if self.size <= 0:
            return
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = value

    def get_or_compute(self, key, compute):
        if self.size <= 0:
            return compute()
        with self._lock:
            hit = self.entries.get(key)
            if hit is not None:
                return hit
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = threading.Event()
        if not leader:
            if flight.wait(self.WAIT_SECONDS):
                hit = self.get(key)
                if hit is not None:
                    return hit
            # The leader failed, or its answer was pushed out meanwhile: compute ourselves.
            return compute()
        try:
            found = compute()
            with self._lock:
                self.put(key, found)
            return found
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.set()


def next_free(services, after, now, count=5):
    """The next free slots after `after`, within the horizon: what a 409 offers instead."""
    tz = centre_tz()
    first = after.astimezone(tz).date()
    last = min(first + timedelta(days=MAX_SPAN_DAYS),
               slots.last_bookable_day(now, tz, booking_window()))
    if last < first:
        return []
    # The slots of `after`'s own day up to `after` count against the limit: ask for enough.
    found = find_slots(None, first, last, now, limit=count + 200, services=services)
    return [s for s in found if s.start > after][:count]
