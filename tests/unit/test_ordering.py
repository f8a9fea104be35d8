from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from queue_app.domain.ordering import (CallPolicy, Candidate, Reason, pick_next,
                                       priority_streak, queue_position)

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def cand(step_id, minutes, service="a", **kw):
    return Candidate(step_id=step_id, service=service, queued_at=at(minutes), **kw)


def test_nobody_waiting_gives_none():
    assert pick_next([], ["a"], at(0)) is None


def test_longest_waiting_first():
    choice = pick_next([cand(1, 5), cand(2, 1), cand(3, 3)], ["a"], at(10))
    assert (choice.candidate.step_id, choice.reason) == (2, Reason.LONGEST_WAITING)


def test_only_services_of_the_desk():
    choice = pick_next([cand(1, 0, service="b"), cand(2, 5)], ["a"], at(10))
    assert choice.candidate.step_id == 2
    assert pick_next([cand(1, 0, service="b")], ["a"], at(10)) is None


def test_step_whose_predecessor_is_open_is_never_called():
    assert pick_next([cand(1, 0, ready=False)], ["a"], at(10)) is None


def test_priority_before_normal():
    choice = pick_next([cand(1, 0), cand(2, 8, priority=True)], ["a"], at(10))
    assert (choice.candidate.step_id, choice.reason) == (2, Reason.PRIORITY)


def test_appointment_due_before_priority():
    items = [cand(1, 0, priority=True), cand(2, 9, appointment_at=at(12))]
    choice = pick_next(items, ["a"], at(10), CallPolicy(appointment_due_early=timedelta(minutes=5)))
    assert (choice.candidate.step_id, choice.reason) == (2, Reason.APPOINTMENT_DUE)


def test_appointment_not_yet_due_waits_like_others():
    items = [cand(1, 0), cand(2, 9, appointment_at=at(60))]
    assert pick_next(items, ["a"], at(10)).candidate.step_id == 1


def test_starvation_guard_calls_overdue_normal_after_streak():
    policy = CallPolicy(max_priority_streak=3, target_wait={"a": timedelta(minutes=20)})
    items = [cand(1, 0), cand(2, 25, priority=True)]
    # Streak below the limit: priority still wins.
    assert pick_next(items, ["a"], at(30), policy, priority_streak=2).reason == Reason.PRIORITY
    choice = pick_next(items, ["a"], at(30), policy, priority_streak=3)
    assert (choice.candidate.step_id, choice.reason) == (1, Reason.STARVATION_GUARD)


def test_starvation_guard_does_not_fire_while_nobody_is_over_target():
    policy = CallPolicy(max_priority_streak=3, target_wait={"a": timedelta(minutes=60)})
    items = [cand(1, 0), cand(2, 25, priority=True)]
    assert pick_next(items, ["a"], at(30), policy, priority_streak=5).reason == Reason.PRIORITY


def test_priority_streak_counts_leading_priority_calls():
    assert priority_streak(["priority", "priority", "longest_waiting", "priority"]) == 2
    assert priority_streak(["longest_waiting", "priority"]) == 0
    assert priority_streak([]) == 0


def test_queue_position_matches_call_order():
    items = [cand(1, 0), cand(2, 1), cand(3, 2, priority=True), cand(4, 0, service="b")]
    assert [queue_position(i, items, at(5)) for i in (3, 1, 2)] == [1, 2, 3]
    assert queue_position(4, items, at(5)) == 1


# --- properties -------------------------------------------------------------------------

candidates = st.lists(
    st.builds(
        Candidate,
        step_id=st.integers(1, 10_000),
        service=st.sampled_from(["a", "b", "c"]),
        queued_at=st.integers(0, 300).map(at),
        priority=st.booleans(),
        appointment_at=st.none() | st.integers(0, 400).map(at),
        ready=st.booleans(),
    ),
    max_size=40, unique_by=lambda c: c.step_id)
desk_services = st.sets(st.sampled_from(["a", "b", "c"]), min_size=1)
nows = st.integers(0, 500).map(at)
streaks = st.integers(0, 6)


@given(candidates, desk_services, nows, streaks)
def test_never_a_visitor_the_desk_cannot_serve(items, services, now, streak):
    choice = pick_next(items, services, now, priority_streak=streak)
    if choice is not None:
        assert choice.candidate.service in services


@given(candidates, desk_services, nows, streaks)
def test_never_a_step_before_its_predecessor_is_done(items, services, now, streak):
    choice = pick_next(items, services, now, priority_streak=streak)
    if choice is not None:
        assert choice.candidate.ready


@given(candidates, desk_services, nows, streaks)
def test_someone_is_called_whenever_someone_eligible_waits(items, services, now, streak):
    eligible = [c for c in items if c.ready and c.service in services]
    assert (pick_next(items, services, now, priority_streak=streak) is None) == (not eligible)


@given(candidates, desk_services, nows)
def test_fifo_within_equal_class(items, services, now):
    """Whoever is chosen, nobody of the same class queued strictly earlier was passed over."""
    policy = CallPolicy()
    choice = pick_next(items, services, now, policy)
    if choice is None:
        return
    chosen = choice.candidate

    def klass(c):
        early = policy.appointment_due_early
        due = c.appointment_at is not None and c.appointment_at - early <= now
        return "due" if due else ("priority" if c.priority else "normal")

    for other in items:
        if other.ready and other.service in services and klass(other) == klass(chosen):
            if klass(chosen) == "due":
                assert (chosen.appointment_at, chosen.queued_at) <= (other.appointment_at,
                                                                     other.queued_at)
            else:
                assert chosen.queued_at <= other.queued_at


@given(candidates, desk_services, nows, streaks)
def test_guard_only_ever_picks_an_overdue_normal_visitor(items, services, now, streak):
    policy = CallPolicy(max_priority_streak=2, default_target_wait=timedelta(minutes=30))
    choice = pick_next(items, services, now, policy, priority_streak=streak)
    if choice is not None and choice.reason == Reason.STARVATION_GUARD:
        assert not choice.candidate.priority
        assert now - choice.candidate.queued_at > timedelta(minutes=30)
        assert streak >= 2
