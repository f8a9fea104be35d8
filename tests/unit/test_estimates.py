from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.estimates import estimate_wait_minutes, service_minutes


def test_first_in_line_waits_nothing():
    assert estimate_wait_minutes(1, [], 15, 1) == 0


def test_uses_default_duration_until_enough_samples():
    assert service_minutes([30, 30], 10) == 10
    assert estimate_wait_minutes(3, [30, 30], 10, 1) == 20


def test_uses_median_of_recent_times_so_one_long_case_does_not_dominate():
    assert service_minutes([5, 6, 7, 90], 15) == 6.5


def test_more_desks_shorten_the_wait():
    assert estimate_wait_minutes(5, [], 10, 1) == 40
    assert estimate_wait_minutes(5, [], 10, 2) == 20


def test_no_open_desk_gives_no_estimate():
    assert estimate_wait_minutes(1, [], 10, 0) is None
    assert estimate_wait_minutes(3, [], 10, 0) is None


@given(position=st.integers(-5, 500), recent=st.lists(st.floats(-10, 300), max_size=30),
       default=st.floats(0, 120), desks=st.integers(-1, 30))
def test_estimate_is_never_negative(position, recent, default, desks):
    minutes = estimate_wait_minutes(position, recent, default, desks)
    assert minutes is None if desks < 1 else minutes >= 0
