"""The life cycles as pure functions: legal moves give consistent states, illegal ones are
refused and change nothing, and every status the API can return is in its OpenAPI enums."""
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queue_app.api.openapi import APPOINTMENT, TICKET
from queue_app.domain import booking_flow, visit_flow
from queue_app.domain import domain_events as ev
from queue_app.domain.lifecycle import (ENDED_VISIT, OPEN_VISIT, AppointmentStatus,
                                        StepStatus, VisitStatus, WaitlistStatus)
from queue_app.domain.visit_flow import BEHIND, OPEN_STEP, IllegalMove

AT = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

VISIT_MOVES = {
    "call": visit_flow.call, "recall": visit_flow.recall, "start": visit_flow.start,
    "finish": visit_flow.finish, "no_show": visit_flow.no_show, "park": visit_flow.park,
    "resume": visit_flow.resume, "leave": visit_flow.leave, "expire": visit_flow.expire,
    "transfer": lambda state, at: visit_flow.transfer(state, "T", at),
}


def assert_consistent(state):
    """What must hold after any sequence of moves."""
    steps = [s.status for s in state.steps]
    current = steps[state.current]
    assert sum(1 for s in steps if s in OPEN_STEP) <= 1
    assert all(s in BEHIND for s in steps[:state.current])
    later = steps[state.current + 1:]
    if state.status in OPEN_VISIT:
        assert current in OPEN_STEP
        assert state.status == visit_flow.visit_status_for(current)
        assert all(s == StepStatus.PENDING for s in later)
    else:
        assert current not in OPEN_STEP and StepStatus.PENDING not in steps
    if state.status == VisitStatus.DONE:
        assert current == StepStatus.DONE and later == []
    if state.status in (VisitStatus.NO_SHOW, VisitStatus.LEFT):
        assert all(s == StepStatus.SKIPPED for s in later)
    if state.status == VisitStatus.EXPIRED:
        assert current == StepStatus.EXPIRED


@settings(max_examples=400, deadline=None)
@given(services=st.lists(st.sampled_from("ABC"), min_size=1, max_size=4),
       moves=st.lists(st.sampled_from(sorted(VISIT_MOVES)), max_size=30))
def test_no_sequence_of_moves_reaches_an_inconsistent_visit(services, moves):
    issued = visit_flow.issue(services, AT, ref="v1")
    state = issued.state
    assert_consistent(state)
    assert isinstance(issued.events[0], ev.Issued)
    for name in moves:
        try:
            moved = VISIT_MOVES[name](state, AT)
        except IllegalMove:
            continue   # refused: the state we hold is unchanged by construction
        assert moved.events, f"{name} changed something without saying so"
        assert all(e.visit == "v1" for e in moved.events)
        state = moved.state
        assert_consistent(state)
        # Every status the API can show is one its document names.
        assert state.status in TICKET["properties"]["status"]["enum"]
        assert all(s.status in TICKET["properties"]["steps"]["items"]["properties"]["status"][
            "enum"] for s in state.steps)


def test_an_ended_visit_refuses_every_move():
    state = visit_flow.issue(["A"], AT).state
    for move in ("call", "finish"):
        state = VISIT_MOVES[move](state, AT).state
    assert state.status == VisitStatus.DONE
    for name, move in VISIT_MOVES.items():
        with pytest.raises(IllegalMove) as refused:
            move(state, AT)
        assert refused.value.code == "invalid_transition"
        assert refused.value.status == 409


def test_finish_queues_the_next_errand_and_says_so():
    state = visit_flow.call(visit_flow.issue(["A", "B"], AT, ref="v").state, AT).state
    moved = visit_flow.finish(state, AT)
    assert [s.status for s in moved.state.steps] == [StepStatus.DONE, StepStatus.WAITING]
    assert moved.state.status == VisitStatus.WAITING and moved.state.current == 1
    assert [type(e) for e in moved.events] == [ev.Finished, ev.Queued]
    assert moved.events[1].service == "B"


def test_transfer_inserts_the_new_service_before_the_remaining_errands():
    state = visit_flow.call(visit_flow.issue(["A", "B"], AT).state, AT).state
    moved = visit_flow.transfer(state, "T", AT)
    assert [(s.service, s.status) for s in moved.state.steps] == [
        ("A", StepStatus.TRANSFERRED), ("T", StepStatus.WAITING), ("B", StepStatus.PENDING)]
    assert [type(e) for e in moved.events] == [ev.Transferred, ev.Queued]
    assert moved.events[0].service == "A" and moved.events[1].service == "T"


def test_no_show_gives_up_the_later_errands():
    state = visit_flow.call(visit_flow.issue(["A", "B", "C"], AT).state, AT).state
    moved = visit_flow.no_show(state, AT)
    assert [s.status for s in moved.state.steps] == [
        StepStatus.NO_SHOW, StepStatus.SKIPPED, StepStatus.SKIPPED]
    assert moved.state.status == VisitStatus.NO_SHOW


def test_a_visit_needs_a_service():
    with pytest.raises(IllegalMove):
        visit_flow.issue([], AT)


APPOINTMENT_MOVES = {
    "confirm": booking_flow.confirm, "reschedule": booking_flow.reschedule,
    "cancel": booking_flow.cancel, "check_in": booking_flow.check_in,
    "lapse": booking_flow.lapse, "miss": booking_flow.miss,
}
# What each appointment status may still become.
APPOINTMENT_NEXT = {
    AppointmentStatus.RESERVED: {AppointmentStatus.BOOKED, AppointmentStatus.RESERVED,
                                 AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED},
    AppointmentStatus.BOOKED: {AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED,
                               AppointmentStatus.CHECKED_IN, AppointmentStatus.NO_SHOW},
}


@settings(max_examples=300, deadline=None)
@given(reserved=st.booleans(),
       moves=st.lists(st.sampled_from(sorted(APPOINTMENT_MOVES)), max_size=12))
def test_appointments_only_move_forward(reserved, moves):
    made = booking_flow.reserve(AT, "c") if reserved else booking_flow.book(AT, "c")
    status = made.status
    for name in moves:
        try:
            change = APPOINTMENT_MOVES[name](status, AT, "c")
        except IllegalMove:
            continue
        assert change.status in APPOINTMENT_NEXT.get(status, set()), (status, name)
        assert change.events and change.events[0].appointment == "c"
        status = change.status
        assert status in APPOINTMENT["properties"]["status"]["enum"]


WAITLIST_MOVES = {"offer": booking_flow.offer, "take": booking_flow.take_offer,
                  "lapse": booking_flow.lapse_offer, "leave": booking_flow.leave_waitlist}


@settings(max_examples=200, deadline=None)
@given(moves=st.lists(st.sampled_from(sorted(WAITLIST_MOVES)), max_size=10))
def test_a_waiting_list_entry_is_offered_at_most_once_and_ends_once(moves):
    status, offers = WaitlistStatus.WAITING, 0
    for name in moves:
        try:
            change = WAITLIST_MOVES[name](status, AT)
        except IllegalMove:
            continue
        offers += change.status == WaitlistStatus.OFFERED
        status = change.status
    assert offers <= 1
    if status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        for move in WAITLIST_MOVES.values():
            with pytest.raises(IllegalMove):
                move(status, AT)


def test_every_ended_status_is_documented():
    assert set(ENDED_VISIT) <= set(TICKET["properties"]["status"]["enum"])
    assert VisitStatus.EXPIRED in TICKET["properties"]["status"]["enum"]
    assert set(AppointmentStatus) == set(APPOINTMENT["properties"]["status"]["enum"])
