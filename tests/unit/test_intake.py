"""The intake rule on a made-up day: Tuesday 2 December 2031, desks close at 12:00."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.intake import can_take_one_more, closing_time, minutes_to_serve_one_more

TZ = ZoneInfo("Europe/Berlin")
DAY = date(2031, 12, 2)
CLOSES = datetime(2031, 12, 2, 12, 0, tzinfo=TZ)


def at(hour, minute=0):
    return datetime(2031, 12, 2, hour, minute, tzinfo=TZ)


def test_closing_is_the_latest_end_of_the_days_hours():
    assert closing_time([time(12), time(11, 30)], DAY, TZ) == CLOSES
    assert closing_time([], DAY, TZ) is None


def test_morning_with_room_takes_the_visitor():
    # 10:00, two desks, 15 minutes each, 6 waiting: the new one is done at 10:00+45+15.
    assert minutes_to_serve_one_more(2, 6, [], 15) == 60
    assert can_take_one_more(at(10), CLOSES, 2, 6, [], 15)


def test_late_morning_full_queue_is_refused():
    # 11:30, one desk, 2 waiting: 2*15 + 15 = 45 minutes, past 12:00.
    assert not can_take_one_more(at(11, 30), CLOSES, 1, 2, [], 15)
    # A second desk opening makes room again: 2*15/2 + 15 = 30 minutes, done at 12:00.
    assert can_take_one_more(at(11, 30), CLOSES, 2, 2, [], 15)


def test_uses_the_recent_service_times_like_the_estimate():
    # Real times of 5 minutes (the median of enough samples) beat the 15 on paper.
    assert can_take_one_more(at(11, 30), CLOSES, 1, 4, [5, 5, 6, 4], 15)
    assert not can_take_one_more(at(11, 30), CLOSES, 1, 4, [], 15)


def test_after_closing_nobody_is_taken_by_an_open_desk():
    assert not can_take_one_more(at(12, 1), CLOSES, 3, 0, [], 5)


def test_no_known_closing_or_no_open_desk_takes_the_visitor():
    assert can_take_one_more(at(11, 59), None, 1, 50, [], 15)
    assert can_take_one_more(at(11, 59), CLOSES, 0, 50, [], 15)


@given(minute=st.integers(0, 8 * 60), desks=st.integers(1, 6), waiting=st.integers(0, 60),
       typical=st.integers(1, 60))
def test_taken_means_done_before_closing(minute, desks, waiting, typical):
    now = at(6) + timedelta(minutes=minute)
    if can_take_one_more(now, CLOSES, desks, waiting, [], typical):
        served_by = now + timedelta(minutes=waiting * typical / desks + typical)
        assert served_by <= CLOSES + timedelta(minutes=1)
