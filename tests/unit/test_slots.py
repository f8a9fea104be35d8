"""Slot calculation: examples, daylight-saving days, and properties over random rules."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_app.domain.slots import (BookingWindow, Closure, OpeningRule, cells_for,
                                    free_slots, grid, last_bookable_day)

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset(range(5))


def rule(**kw):
    base = dict(weekdays=WEEKDAYS, start=time(8), end=time(12), parallel=2, slot_minutes=10,
                services=frozenset({"a", "b"}))
    base.update(kw)
    return OpeningRule(**base)


def at(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=BERLIN)


WINDOW = BookingWindow(lead=timedelta(hours=2), horizon_days=60)


def test_a_morning_of_ten_minute_slots():
    now = at(2026, 11, 23, 7)   # Monday
    slots = free_slots([rule()], [], {}, {"a"}, 10, now, BERLIN, date(2026, 11, 24),
                       date(2026, 11, 24), WINDOW)
    assert [s.start for s in slots][:2] == [at(2026, 11, 24, 8), at(2026, 11, 24, 8, 10)]
    assert len(slots) == 24
    assert slots[-1].end == at(2026, 11, 24, 12)


def test_a_longer_booking_needs_contiguous_free_slots():
    now = at(2026, 11, 23, 7)
    taken = {at(2026, 11, 24, 8, 20): 2}      # 08:20 is full
    slots = free_slots([rule()], [], taken, {"a", "b"}, 25, now, BERLIN, date(2026, 11, 24),
                       date(2026, 11, 24), WINDOW)
    starts = [s.start.strftime("%H:%M") for s in slots]
    # 25 minutes need three cells: none of 08:00, 08:10, 08:20 can start a run through 08:20
    assert starts[:2] == ["08:30", "08:40"]
    assert "11:40" not in starts                       # would run past closing
    assert slots[0].end - slots[0].start == timedelta(minutes=25)


def test_lead_time_horizon_and_gradual_release():
    now = at(2026, 11, 24, 9, 5)
    slots = free_slots([rule()], [], {}, {"a"}, 10, now, BERLIN, date(2026, 11, 24),
                       date(2027, 3, 1), WINDOW)
    assert slots[0].start == at(2026, 11, 24, 11, 10)      # 2 h after 09:05, on the grid
    assert slots[-1].start.date() <= date(2027, 1, 23)
    early = BookingWindow(horizon_days=60, release_at=time(7))
    assert last_bookable_day(at(2026, 11, 24, 6, 59), BERLIN, early) == date(2027, 1, 22)
    assert last_bookable_day(at(2026, 11, 24, 7, 0), BERLIN, early) == date(2027, 1, 23)


def test_closures_whole_day_and_hours():
    now = at(2026, 11, 23, 7)
    closures = [Closure(date(2026, 11, 24)), Closure(date(2026, 11, 25), time(10), time(11))]
    slots = free_slots([rule()], closures, {}, {"a"}, 10, now, BERLIN, date(2026, 11, 24),
                       date(2026, 11, 25), WINDOW)
    assert all(s.start.date() == date(2026, 11, 25) for s in slots)
    assert not any(time(10) <= s.start.time() < time(11) for s in slots)
    assert len(slots) == 18


def test_services_outside_the_rule_get_nothing():
    slots = free_slots([rule()], [], {}, {"c"}, 10, at(2026, 11, 23, 7), BERLIN,
                       date(2026, 11, 24), date(2026, 11, 24), WINDOW)
    assert slots == []


def test_every_second_week_and_validity():
    r = rule(every_n_weeks=2, anchor=date(2026, 11, 23), valid_until=date(2026, 12, 31))
    slots = free_slots([r], [], {}, {"a"}, 10, at(2026, 11, 22, 7), BERLIN,
                       date(2026, 11, 23), date(2027, 1, 31), WINDOW)
    weeks = sorted({(s.start.date() - date(2026, 11, 23)).days // 7 for s in slots})
    assert weeks == [0, 2, 4]


def test_summer_time_starts_slots_stay_at_local_wall_time():
    # Sunday 29 March 2026 clocks go 02:00 → 03:00; Monday 30 March opens 08:00 CEST.
    r = rule(weekdays=frozenset(range(7)))
    before = free_slots([r], [], {}, {"a"}, 10, at(2026, 3, 26, 7), BERLIN, date(2026, 3, 27),
                        date(2026, 3, 30), WINDOW)
    firsts = {}
    for s in before:
        firsts.setdefault(s.start.date(), s.start)
    assert firsts[date(2026, 3, 27)].astimezone(timezone.utc).hour == 7     # CET
    assert firsts[date(2026, 3, 30)].astimezone(timezone.utc).hour == 6     # CEST
    assert all(s.start.astimezone(BERLIN).hour >= 8 for s in before)


def test_a_night_rule_skips_the_hour_that_does_not_exist():
    r = rule(weekdays=frozenset(range(7)), start=time(1), end=time(4), slot_minutes=30)
    cells = grid(r, date(2026, 3, 29), BERLIN)
    assert [c.strftime("%H:%M") for c in cells] == ["01:00", "01:30", "03:00", "03:30"]
    # A 60-minute booking may not run across the missing hour.
    slots = free_slots([r], [], {}, {"a"}, 60, at(2026, 3, 28, 0), BERLIN, date(2026, 3, 29),
                       date(2026, 3, 29), WINDOW)
    assert [s.start.strftime("%H:%M") for s in slots] == ["01:00", "03:00"]
    assert all(s.end - s.start == timedelta(minutes=60) for s in slots)


def test_autumn_change_keeps_real_durations():
    r = rule(weekdays=frozenset(range(7)), start=time(1), end=time(4), slot_minutes=60)
    cells = grid(r, date(2026, 10, 25), BERLIN)   # 03:00 CEST → 02:00 CET
    assert [c.astimezone(timezone.utc).strftime("%H:%M") for c in cells] == \
        ["23:00", "00:00", "02:00"]


def test_cells_for_a_booking_and_off_grid_starts():
    found = cells_for([rule()], {"a"}, at(2026, 11, 24, 8, 10), 25, BERLIN)
    assert found is not None and len(found[1]) == 3
    assert cells_for([rule()], {"a"}, at(2026, 11, 24, 8, 15), 25, BERLIN) is None
    assert cells_for([rule()], {"a"}, at(2026, 11, 24, 11, 50), 25, BERLIN) is None


# --- properties -----------------------------------------------------------------------

times = st.integers(min_value=6 * 6, max_value=19 * 6).map(lambda n: time(n // 6, n % 6 * 10))
rules = st.builds(
    lambda wd, a, length, par, step, svc: OpeningRule(
        weekdays=frozenset(wd), start=a,
        end=min(time(23, 50), (datetime.combine(date.min, a) + timedelta(minutes=length)).time()),
        parallel=par, slot_minutes=step, services=frozenset(svc)),
    st.sets(st.integers(0, 6), min_size=1), times, st.integers(30, 300),
    st.integers(1, 4), st.sampled_from([5, 10, 15, 30]),
    st.sets(st.sampled_from("abc"), min_size=1))
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(rule=rules, today=days, hour=st.integers(0, 23),
       closed=st.lists(st.tuples(st.integers(0, 20), st.none() | times), max_size=4),
       taken_offsets=st.lists(st.integers(0, 40), max_size=30),
       duration=st.integers(5, 90), services=st.sets(st.sampled_from("abc"), min_size=1),
       lead=st.integers(0, 48), horizon=st.integers(1, 21))
def test_never_a_slot_that_breaks_a_rule(rule, today, hour, closed, taken_offsets, duration,
                                         services, lead, horizon):
    now = datetime.combine(today, time(hour), BERLIN)
    closures = [Closure(today + timedelta(days=d), t,
                        (datetime.combine(today, t) + timedelta(hours=1)).time() if t else None)
                for d, t in closed]
    cells = [c for d in range(21) for c in grid(rule, today + timedelta(days=d), BERLIN)]
    taken = {}
    for k in taken_offsets:
        if cells:
            cell = cells[k % len(cells)]
            taken[cell] = taken.get(cell, 0) + 1
    window = BookingWindow(lead=timedelta(hours=lead), horizon_days=horizon)
    slots = free_slots([rule], closures, taken, services, duration, now, BERLIN, today,
                       today + timedelta(days=30), window)
    step = timedelta(minutes=rule.slot_minutes)
    for slot in slots:
        local = slot.start.astimezone(BERLIN)
        assert services <= rule.services
        assert rule.applies(local.date())
        assert slot.start >= now + window.lead
        assert local.date() <= today + timedelta(days=horizon)
        opening = datetime.combine(local.date(), rule.start, BERLIN)
        closing = datetime.combine(local.date(), rule.end, BERLIN)
        assert opening <= local and slot.end <= closing
        found = cells_for([rule], services, slot.start, duration, BERLIN)
        assert found is not None
        for cell in found[1]:
            assert taken.get(cell, 0) < rule.parallel
            assert not any(c.closes(cell, cell + step) for c in closures)
        assert slot.end - slot.start == timedelta(minutes=duration)
