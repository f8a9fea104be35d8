"""What happened, recorded beside the state a move changed.

A transition returns these; the service that ran it records them on its transaction, and
the one place that ends a transaction hands them on only after the commit succeeded (see
`queue_app.database.write_transaction`). The references (`visit`, `step`, `service`) are
whatever the caller put into the state it passed in: public ids and row ids in the service
layer, plain labels in the tests.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    at: datetime


@dataclass(frozen=True)
class VisitEvent(DomainEvent):
    """Something happened to one step of one visit; its service's queue may have moved."""
    visit: Any
    step: Any
    service: Any


@dataclass(frozen=True)
class Issued(VisitEvent):
    """A new visit joined the queue of its first service; `ahead` when it goes before
    visitors already waiting there (priority, or an appointment due now)."""
    ahead: bool = False


@dataclass(frozen=True)
class Queued(VisitEvent):
    """A visit moved on to (or was transferred to) this step's queue."""


@dataclass(frozen=True)
class Called(VisitEvent):
    pass


@dataclass(frozen=True)
class Recalled(VisitEvent):
    pass


@dataclass(frozen=True)
class Started(VisitEvent):
    pass


@dataclass(frozen=True)
class Finished(VisitEvent):
    pass


@dataclass(frozen=True)
class NoShow(VisitEvent):
    pass


@dataclass(frozen=True)
class Transferred(VisitEvent):
    pass


@dataclass(frozen=True)
class Parked(VisitEvent):
    pass


@dataclass(frozen=True)
class Resumed(VisitEvent):
    pass


@dataclass(frozen=True)
class Left(VisitEvent):
    pass


@dataclass(frozen=True)
class Expired(VisitEvent):
    pass


@dataclass(frozen=True)
class DeskServicesChanged(DomainEvent):
    """A desk opened, closed or changed what it serves: estimates for these services move."""
    services: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class AppointmentEvent(DomainEvent):
    appointment: Any


@dataclass(frozen=True)
class Booked(AppointmentEvent):
    pass


@dataclass(frozen=True)
class Reserved(AppointmentEvent):
    pass


@dataclass(frozen=True)
class Confirmed(AppointmentEvent):
    pass


@dataclass(frozen=True)
class Rescheduled(AppointmentEvent):
    pass


@dataclass(frozen=True)
class Cancelled(AppointmentEvent):
    pass


@dataclass(frozen=True)
class CheckedIn(AppointmentEvent):
    pass


@dataclass(frozen=True)
class HoldLapsed(AppointmentEvent):
    """A reservation or offer was not confirmed in time; its places are free again."""


@dataclass(frozen=True)
class Missed(AppointmentEvent):
    """Not checked in by the end of the grace time."""


@dataclass(frozen=True)
class WaitlistEvent(DomainEvent):
    entry: Any


@dataclass(frozen=True)
class Offered(WaitlistEvent):
    pass


@dataclass(frozen=True)
class OfferTaken(WaitlistEvent):
    pass


@dataclass(frozen=True)
class OfferLapsed(WaitlistEvent):
    pass


@dataclass(frozen=True)
class WaitlistLeft(WaitlistEvent):
    pass


@dataclass(frozen=True)
class MailQueued(DomainEvent):
    """A mail was written to the outbox; the sender may deliver it now."""
