from datetime import datetime, timedelta, timezone

from queue_app.domain.retry import FIRST_WAIT, LONGEST_WAIT, gives_up, next_attempt

T0 = datetime(2026, 11, 25, 7, 0, tzinfo=timezone.utc)


def test_waits_double_from_thirty_seconds():
    waits = [next_attempt(n, T0) - T0 for n in range(1, 5)]
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 240)]


def test_never_more_than_an_hour_apart_however_many_failures():
    assert next_attempt(8, T0) - T0 == LONGEST_WAIT
    assert next_attempt(500, T0) - T0 == LONGEST_WAIT


def test_nothing_failed_yet_means_now():
    assert next_attempt(0, T0) == T0
    assert next_attempt(1, T0, first=FIRST_WAIT * 2) - T0 == timedelta(minutes=1)


def test_gives_up_at_the_limit():
    assert not gives_up(7, 8)
    assert gives_up(8, 8)
