import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.staffing import desks_needed, erlang_c, service_level
from queue_app.domain.stats import mean, percentile


def test_erlang_c_textbook_values():
    # One server, load 0.5: probability of waiting equals the utilisation.
    assert erlang_c(1, 0.5) == pytest.approx(0.5)
    # Two servers, load 1 Erlang: P(wait) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # The classic call-centre example: 10 agents, 8 Erlangs: about 0.409.
    assert erlang_c(10, 8.0) == pytest.approx(0.409, abs=0.001)


def test_overloaded_desks_always_wait():
    assert erlang_c(2, 2.0) == 1.0
    assert service_level(2, 12, 10, 20) == 0.0


def test_desks_needed_for_a_busy_registration_hour():
    # 30 arrivals an hour, 10 minutes each = 5 Erlangs. Six desks: P(wait) = 0.5875,
    # within 10 minutes 1 - 0.5875 * e^-1 = 78.4 % — not enough; seven make it.
    assert service_level(6, 30, 10, 10) == pytest.approx(0.7839, abs=0.0005)
    assert desks_needed(30, 10, 10) == 7
    # A stricter target needs more.
    assert desks_needed(30, 10, 1, level=0.95) > 7


def test_a_very_busy_hour_gets_enough_desks():
    # 200 Erlangs: more desks than any fixed cap would have allowed.
    desks = desks_needed(200, 60, 0)
    assert desks > 200
    assert service_level(desks, 200, 60, 0) >= 0.8


def test_nobody_comes_no_desk_needed():
    assert desks_needed(0, 10, 10) == 0


@given(arrivals=st.floats(0.1, 200), minutes=st.floats(1, 60), target=st.floats(0, 60))
def test_desks_needed_meets_the_level_and_one_fewer_does_not(arrivals, minutes, target):
    desks = desks_needed(arrivals, minutes, target)
    assert service_level(desks, arrivals, minutes, target) >= 0.8
    if desks > 1:
        assert service_level(desks - 1, arrivals, minutes, target) < 0.8


def test_percentile_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([5], 90) == 5
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert mean([2, 4]) == 3
    assert mean([]) is None
