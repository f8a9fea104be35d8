"""The life cycles of visits, steps, appointments and waiting-list entries, as types.

Every status word the database stores or the API returns is a member of one of these
enums (a StrEnum, so it compares and serialises as the word itself). The transitions
below are the only rules about which move is legal; they take and return plain values and
name the domain events a move causes, which the service layer hands on after its commit.
"""
from enum import StrEnum


class StepStatus(StrEnum):
    PENDING = "pending"          # a later errand of the visit, not queued yet
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"            # fetching a document; keeps its place for resume
    DONE = "done"
    NO_SHOW = "no_show"
    SKIPPED = "skipped"          # a later errand given up with a no-show before it
    TRANSFERRED = "transferred"  # this desk handed the visitor on to another service
    LEFT = "left"                # the visitor left the queue
    EXPIRED = "expired"          # still open when its day ended


class VisitStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"
    LEFT = "left"
    EXPIRED = "expired"


class AppointmentStatus(StrEnum):
    RESERVED = "reserved"        # places held until the mailed link is followed
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"          # a reservation not confirmed in time


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"            # took the offered place
    LAPSED = "lapsed"            # let the offer pass: the next one's turn
    LEFT = "left"


class StaffRole(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"


class VisitSource(StrEnum):
    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


class StepEventKind(StrEnum):
    QUEUED = "queued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    PARKED = "parked"
    RESUMED = "resumed"
    LEFT = "left"
    EXPIRED = "expired"


# A step a clerk holds at a desk.
HELD = frozenset({StepStatus.CALLED, StepStatus.SERVING})
# A visit still in the building's queues.
OPEN_VISIT = frozenset({VisitStatus.WAITING, VisitStatus.CALLED, VisitStatus.SERVING,
                        VisitStatus.PARKED})
ENDED_VISIT = frozenset(VisitStatus) - OPEN_VISIT
# An appointment that still holds its places.
HOLDING_APPOINTMENT = frozenset({AppointmentStatus.RESERVED, AppointmentStatus.BOOKED})
# A waiting-list entry still in line or holding an offer.
OPEN_WAITLIST = frozenset({WaitlistStatus.WAITING, WaitlistStatus.OFFERED})
# Roles that may sign in at a desk.
DESK_ROLES = frozenset({StaffRole.CLERK, StaffRole.SUPERVISOR})
# Roles that may read reports and look at the back office.
INSIGHT_ROLES = frozenset({StaffRole.SUPERVISOR, StaffRole.ADMIN})
