"""The fast paths of the ordering rule give exactly what the full-queue rule gives."""
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.ordering import (CallPolicy, Candidate, heads, pick_next,
                                       queue_position, queue_positions)
from tests.unit.test_ordering import T0, at, cand

candidates = st.lists(
    st.builds(
        Candidate,
        step_id=st.integers(1, 10_000),
        service=st.sampled_from(["a", "b", "c"]),
        # A few distinct minutes only, so equal timestamps (ties) are common.
        queued_at=st.integers(0, 40).map(at),
        priority=st.booleans(),
        appointment_at=st.none() | st.integers(0, 60).map(at),
        ready=st.booleans(),
    ),
    unique_by=lambda c: c.step_id, max_size=40)
desk_services = st.sets(st.sampled_from(["a", "b", "c"]), min_size=1)
nows = st.integers(0, 80).map(at)
streaks = st.integers(0, 5)
policies = st.builds(
    CallPolicy, max_priority_streak=st.integers(1, 4),
    appointment_due_early=st.integers(0, 10).map(lambda m: timedelta(minutes=m)),
    target_wait=st.fixed_dictionaries({"a": st.integers(0, 40).map(
        lambda m: timedelta(minutes=m))}),
    default_target_wait=st.integers(0, 40).map(lambda m: timedelta(minutes=m)))


@given(candidates, nows, policies)
def test_queue_positions_equal_queue_position_of_each(items, now, policy):
    positions = queue_positions(items, now, policy)
    ready = [c for c in items if c.ready]
    assert set(positions) == {c.step_id for c in ready}
    for c in ready:
        assert positions[c.step_id] == queue_position(c.step_id, items, now, policy)


@given(candidates, desk_services, nows, policies, streaks)
def test_pick_next_on_the_heads_is_pick_next_on_the_queue(
        items, services, now, policy, streak):
    assert (pick_next(heads(items, now, policy), services, now, policy, streak)
            == pick_next(items, services, now, policy, streak))


@given(candidates, nows, policies)
def test_at_most_three_heads_per_service(items, now, policy):
    found = heads(items, now, policy)
    for service in "abc":
        assert len([c for c in found if c.service == service]) <= 3
    assert all(c.ready for c in found)


def test_heads_of_a_plain_queue_is_its_front():
    items = [cand(1, 5), cand(2, 1), cand(3, 3)]
    assert [c.step_id for c in heads(items, at(10))] == [2]


def test_heads_keep_the_due_the_priority_and_the_normal_front():
    items = [cand(1, 0), cand(2, 1), cand(3, 2, priority=True), cand(4, 3, priority=True),
             cand(5, 4, appointment_at=at(9)), cand(6, 5, appointment_at=at(8))]
    assert [c.step_id for c in heads(items, T0 + timedelta(minutes=10))] == [1, 3, 6]
