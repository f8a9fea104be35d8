"""The roll-up's pure parts: histogram percentiles, cells of a day, accuracy."""
from collections import Counter
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.insight import SessionFact, StepFact, accuracy, cells_of_day
from queue_app.domain.lifecycle import StepStatus, VisitSource
from queue_app.domain.stats import histogram_percentile, percentile

T = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


@given(st.lists(st.integers(-30, 300), min_size=1, max_size=200),
       st.sampled_from([0, 10, 50, 90, 95, 100]))
def test_histogram_percentile_is_the_nearest_rank_of_the_values(values, p):
    assert histogram_percentile(Counter(values), p) == percentile(values, p)


def test_histogram_percentile_of_nothing():
    assert histogram_percentile({}, 50) is None


def test_cells_of_a_day_split_desk_time_by_clock_hour():
    steps = [StepFact(1, VisitSource.APPOINTMENT, StepStatus.DONE, T + timedelta(minutes=50),
                      T + timedelta(minutes=62), T + timedelta(minutes=62),
                      T + timedelta(minutes=74), 5)]
    sessions = [SessionFact(T + timedelta(minutes=30), T + timedelta(minutes=150), (1, 2))]
    cells = cells_of_day(steps, sessions, {1: 10}, T - timedelta(hours=9),
                         T + timedelta(hours=15), T + timedelta(hours=5))
    first = cells[(1, T)]
    # Queued 08:50, called 09:02: a 12-minute wait over a 10-minute target, 7 more than told.
    assert (first.arrivals, first.appointments, first.walk_ins) == (1, 1, 0)
    assert (first.waits, first.within_target, first.promise_errors) == ({12: 1}, 0, {7: 1})
    assert (first.service_minutes, first.service_count) == (12.0, 1)
    # The desk: 30 minutes in the first hour, 60 in the second, 30 in the third, per service.
    assert [cells[(2, T + timedelta(hours=h))].desk_minutes for h in range(3)] == [30, 60, 30]
    assert cells[(1, T)].desk_minutes == 30


def test_accuracy_median_and_share_within_ten_minutes():
    expected = {"count": 4, "median_error_minutes": 0, "within_10_minutes_share": 0.75}
    assert accuracy({-10: 1, 0: 2, 30: 1}) == expected
