"""A visit's way through the building, one pure function per move.

A visit is an ordered list of steps (one per errand) and a pointer to the current one.
Each move takes the visit's state and returns the new state with the events it caused, or
raises `IllegalMove` and changes nothing. The visit's own status always mirrors its
current step while it is open, so no caller has to keep the two in line.
"""
from dataclasses import dataclass, replace
from typing import Any

from . import domain_events as ev
from .errors import Conflict
from .lifecycle import HELD, OPEN_VISIT, StepStatus, VisitStatus

# A step that is in a queue or at a desk; a visit has at most one.
OPEN_STEP = frozenset({StepStatus.WAITING, StepStatus.CALLED, StepStatus.SERVING,
                       StepStatus.PARKED})
# Steps the visit is through with, and that lie before its current one.
BEHIND = frozenset({StepStatus.DONE, StepStatus.TRANSFERRED})


class IllegalMove(Conflict):
    code = "invalid_transition"


@dataclass(frozen=True)
class StepState:
    status: StepStatus
    service: Any = None
    ref: Any = None


@dataclass(frozen=True)
class VisitState:
    steps: tuple
    current: int = 0
    status: VisitStatus = VisitStatus.WAITING
    ref: Any = None

    @property
    def step(self):
        return self.steps[self.current]


@dataclass(frozen=True)
class Moved:
    state: VisitState
    events: tuple


def issue(services, at, ahead=False, ref=None):
    """A new visit: queued for its first service, the others pending in order."""
    if not services:
        raise IllegalMove("A visit needs at least one service.", code="no_services")
    steps = tuple(StepState(StepStatus.WAITING if i == 0 else StepStatus.PENDING, service)
                  for i, service in enumerate(services))
    state = VisitState(steps=steps, current=0, status=VisitStatus.WAITING, ref=ref)
    return Moved(state, (ev.Issued(at, ref, None, services[0], ahead=ahead),))


def _current(state, allowed, action):
    step = state.step
    if step.status not in allowed:
        raise IllegalMove(f"Not possible while the ticket is {step.status}: {action}.",
                          status_now=str(step.status))
    return step


def _set(state, index, step_status, **changes):
    steps = list(state.steps)
    steps[index] = replace(steps[index], status=step_status)
    return replace(state, steps=tuple(steps), **changes)


def _event(kind, state, at, index=None):
    step = state.steps[state.current if index is None else index]
    return kind(at, state.ref, step.ref, step.service)


def visit_status_for(step_status):
    """The visit's status while its current step is open: the same word."""
    return VisitStatus(step_status.value)


def call(state, at):
    _current(state, {StepStatus.WAITING}, "call")
    new = _set(state, state.current, StepStatus.CALLED, status=VisitStatus.CALLED)
    return Moved(new, (_event(ev.Called, new, at),))


def recall(state, at):
    _current(state, {StepStatus.CALLED}, "recall")
    return Moved(state, (_event(ev.Recalled, state, at),))


def start(state, at):
    _current(state, {StepStatus.CALLED}, "start")
    new = _set(state, state.current, StepStatus.SERVING, status=VisitStatus.SERVING)
    return Moved(new, (_event(ev.Started, new, at),))


def finish(state, at):
    """Done here: on to the next pending errand's queue, or the visit ends."""
    _current(state, HELD, "finish")
    done = _set(state, state.current, StepStatus.DONE)
    events = [_event(ev.Finished, done, at)]
    following = [i for i in range(state.current + 1, len(state.steps))
                 if state.steps[i].status == StepStatus.PENDING]
    if not following:
        return Moved(replace(done, status=VisitStatus.DONE), tuple(events))
    nxt = following[0]
    moved = _set(done, nxt, StepStatus.WAITING, current=nxt, status=VisitStatus.WAITING)
    events.append(_event(ev.Queued, moved, at))
    return Moved(moved, tuple(events))


def _skip_pending(state, end_status):
    steps = tuple(replace(s, status=StepStatus.SKIPPED)
                  if i > state.current and s.status == StepStatus.PENDING else s
                  for i, s in enumerate(state.steps))
    return replace(state, steps=steps, status=end_status)


def no_show(state, at):
    """Called and did not come: the visit ends, its later errands are given up."""
    _current(state, {StepStatus.CALLED}, "no-show")
    new = _skip_pending(_set(state, state.current, StepStatus.NO_SHOW), VisitStatus.NO_SHOW)
    return Moved(new, (_event(ev.NoShow, new, at),))


def park(state, at):
    _current(state, HELD, "park")
    new = _set(state, state.current, StepStatus.PARKED, status=VisitStatus.PARKED)
    return Moved(new, (_event(ev.Parked, new, at),))


def resume(state, at):
    _current(state, {StepStatus.PARKED}, "resume")
    new = _set(state, state.current, StepStatus.WAITING, status=VisitStatus.WAITING)
    return Moved(new, (_event(ev.Resumed, new, at),))


def transfer(state, service, at):
    """Handed on to `service`, queued right after this step (later errands move back)."""
    _current(state, HELD, "transfer")
    handed = _set(state, state.current, StepStatus.TRANSFERRED)
    index = state.current + 1
    steps = (handed.steps[:index] + (StepState(StepStatus.WAITING, service),)
             + handed.steps[index:])
    new = replace(handed, steps=steps, current=index, status=VisitStatus.WAITING)
    return Moved(new, (_event(ev.Transferred, new, at, index=state.current),
                       _event(ev.Queued, new, at)))


def leave(state, at):
    """The visitor gives up their place (while waiting, or parked)."""
    _current(state, {StepStatus.WAITING, StepStatus.PARKED}, "leave")
    new = _skip_pending(_set(state, state.current, StepStatus.LEFT), VisitStatus.LEFT)
    return Moved(new, (_event(ev.Left, new, at),))


def expire(state, at):
    """The day ended with the visit still open: every open or pending step expires."""
    if state.status not in OPEN_VISIT:
        raise IllegalMove(f"Not possible while the ticket is {state.status}: expire.",
                          status_now=str(state.status))
    steps = tuple(replace(s, status=StepStatus.EXPIRED)
                  if s.status in OPEN_STEP or s.status == StepStatus.PENDING else s
                  for s in state.steps)
    new = replace(state, steps=steps, status=VisitStatus.EXPIRED)
    return Moved(new, (_event(ev.Expired, new, at),))
