"""The appointment's and the waiting-list entry's life cycles, one pure function per move.

reserved ─confirm→ booked ─check in→ checked_in
   │                 │ └──miss──→ no_show
   lapse→ expired    └─cancel→ cancelled        (reserved can be cancelled too)

waiting ─offer→ offered ─take→ booked
   │               └─lapse→ lapsed
   └─leave→ left
"""
from dataclasses import dataclass
from typing import Any

from . import domain_events as ev
from .lifecycle import AppointmentStatus as A
from .lifecycle import HOLDING_APPOINTMENT
from .lifecycle import WaitlistStatus as W
from .visit_flow import IllegalMove


@dataclass(frozen=True)
class Change:
    status: Any
    events: tuple


def _move(current, allowed, to, event, ref, at, action):
    if current not in allowed:
        raise IllegalMove(f"Not possible while the appointment is {current}: {action}.",
                          status_now=str(current))
    return Change(to, (event(at, ref),))


# --- appointments ---------------------------------------------------------------------

def book(at, ref=None):
    return Change(A.BOOKED, (ev.Booked(at, ref),))


def reserve(at, ref=None):
    """Places held until the resident follows the mailed link."""
    return Change(A.RESERVED, (ev.Reserved(at, ref),))


def confirm(current, at, ref=None):
    return _move(current, {A.RESERVED}, A.BOOKED, ev.Confirmed, ref, at, "confirm")


def reschedule(current, at, ref=None):
    return _move(current, HOLDING_APPOINTMENT, current, ev.Rescheduled, ref, at, "reschedule")


def cancel(current, at, ref=None):
    return _move(current, HOLDING_APPOINTMENT, A.CANCELLED, ev.Cancelled, ref, at, "cancel")


def check_in(current, at, ref=None):
    return _move(current, {A.BOOKED}, A.CHECKED_IN, ev.CheckedIn, ref, at, "check in")


def lapse(current, at, ref=None):
    """A reservation nobody confirmed in time gives its places back."""
    return _move(current, {A.RESERVED}, A.EXPIRED, ev.HoldLapsed, ref, at, "lapse")


def miss(current, at, ref=None):
    """Booked, and not checked in by the end of the grace time."""
    return _move(current, {A.BOOKED}, A.NO_SHOW, ev.Missed, ref, at, "miss")


# --- waiting list ---------------------------------------------------------------------

def offer(current, at, ref=None):
    return _move(current, {W.WAITING}, W.OFFERED, ev.Offered, ref, at, "offer")


def take_offer(current, at, ref=None):
    return _move(current, {W.OFFERED}, W.BOOKED, ev.OfferTaken, ref, at, "take")


def lapse_offer(current, at, ref=None):
    return _move(current, {W.OFFERED}, W.LAPSED, ev.OfferLapsed, ref, at, "lapse")


def leave_waitlist(current, at, ref=None):
    return _move(current, {W.WAITING}, W.LEFT, ev.WaitlistLeft, ref, at, "leave")
