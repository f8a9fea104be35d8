"""Tables only: no rules, no commits."""
from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index,
                        Integer, LargeBinary, String, Table, UniqueConstraint, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .domain.lifecycle import VisitSource
from .extensions import db


class UTCDateTime(TypeDecorator):
    """Stores UTC, returns aware datetimes on every database (SQLite keeps no offset)."""
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Office(db.Model):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    names: Mapped[dict] = mapped_column(JSON)


class Service(db.Model):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    prefix: Mapped[str] = mapped_column(String(2))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=True)
    bookable: Mapped[bool] = mapped_column(Boolean, default=True)
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    names: Mapped[dict] = mapped_column(JSON)
    documents: Mapped[dict] = mapped_column(JSON, default=dict)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    office: Mapped[Office] = relationship()


class Zone(db.Model):
    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    names: Mapped[dict] = mapped_column(JSON)


desk_services = Table(
    "desk_services", db.metadata,
    Column("desk_id", ForeignKey("desks.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class Desk(db.Model):
    __tablename__ = "desks"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    # A desk that served visitors is kept for the reports; it is switched off instead.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    zone: Mapped[Zone] = relationship()
    # What a clerk may serve here; none listed means every service (domain.places).
    services: Mapped[list[Service]] = relationship(secondary=desk_services,
                                                   order_by=(Service.sort_order, Service.id))


competencies = Table(
    "competencies", db.metadata,
    Column("staff_id", ForeignKey("staff.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class Staff(db.Model):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    services: Mapped[list[Service]] = relationship(secondary=competencies)


class Device(db.Model):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    zone_id: Mapped[Optional[int]] = mapped_column(ForeignKey("zones.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    zone: Mapped[Optional[Zone]] = relationship()


class ApiToken(db.Model):
    """A bearer token, stored only as its SHA-256 so a leaked database grants nothing."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[Optional[int]] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    staff: Mapped[Optional[Staff]] = relationship()
    device: Mapped[Optional[Device]] = relationship()


desk_session_services = Table(
    "desk_session_services", db.metadata,
    Column("desk_session_id", ForeignKey("desk_sessions.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class DeskSession(db.Model):
    __tablename__ = "desk_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    desk: Mapped[Desk] = relationship()
    staff: Mapped[Staff] = relationship()
    services: Mapped[list[Service]] = relationship(secondary=desk_session_services)
    __table_args__ = (
        # One open session per desk and per clerk, enforced by the database itself.
        Index("uq_open_session_desk", "desk_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("uq_open_session_staff", "staff_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )


class TicketCounter(db.Model):
    """One row per prefix and local day, bumped in the transaction that issues the ticket."""
    __tablename__ = "ticket_counters"
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Visit(db.Model):
    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(12))
    lang: Mapped[str] = mapped_column(String(8))
    priority: Mapped[Optional[str]] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default=VisitSource.WALK_IN.value)
    status: Mapped[str] = mapped_column(String(20))
    current_position: Mapped[int] = mapped_column(Integer, default=0)
    appointment_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    issued_by_device_id: Mapped[Optional[int]] = mapped_column(ForeignKey("devices.id"))
    issued_by_staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(128))
    request_digest: Mapped[Optional[str]] = mapped_column(String(64))
    # Only that the visitor rated the visit, so they rate once; the rating itself is not
    # linked to the visit (an appointment's visit leads to a name).
    feedback_given: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=text("false"))
    steps: Mapped[list["Step"]] = relationship(
        back_populates="visit", order_by="Step.position", cascade="all, delete-orphan")
    __table_args__ = (
        UniqueConstraint("day", "number", name="uq_visit_day_number"),
        UniqueConstraint("day", "idempotency_key", name="uq_visit_day_idempotency"),
    )


class Step(db.Model):
    __tablename__ = "steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: a day's steps are found through their visits (reports, roll-up).
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    status: Mapped[str] = mapped_column(String(20))
    queued_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    called_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    desk_id: Mapped[Optional[int]] = mapped_column(ForeignKey("desks.id"))
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    call_reason: Mapped[Optional[str]] = mapped_column(String(30))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    # The wait the visitor was told when the step was queued at issue or check-in: the
    # estimate-accuracy report compares it with the real wait.
    promised_wait_minutes: Mapped[Optional[int]] = mapped_column(Integer)
    visit: Mapped[Visit] = relationship(back_populates="steps")
    service: Mapped[Service] = relationship()
    desk: Mapped[Optional[Desk]] = relationship()
    events: Mapped[list["StepEvent"]] = relationship(order_by="StepEvent.id")
    __table_args__ = (
        Index("ix_steps_status_service", "status", "service_id"),
        # A service's waiting queue in call order: positions are counted and heads found
        # by walking a range of it, never by reading the whole queue.
        Index("ix_steps_waiting_order", "service_id", "status", "queued_at", "id"),
        Index("ix_steps_called_at", "called_at"),
    )


class StepEvent(db.Model):
    """Every state change of a step, with when, where and by whom: the audit trail and
    the raw material of the reports."""
    __tablename__ = "step_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    desk_id: Mapped[Optional[int]] = mapped_column(ForeignKey("desks.id"))
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    detail: Mapped[Optional[str]] = mapped_column(String(60))


# --- Appointments -----------------------------------------------------------------------

class OpeningRule(db.Model):
    """When an office takes appointments (local wall times, "08:00")."""
    __tablename__ = "opening_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    weekdays: Mapped[list] = mapped_column(JSON)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    parallel: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    services: Mapped[list] = mapped_column(JSON)
    valid_from: Mapped[Optional[date]] = mapped_column(Date)
    valid_until: Mapped[Optional[date]] = mapped_column(Date)
    every_n_weeks: Mapped[int] = mapped_column(Integer, default=1)
    anchor: Mapped[Optional[date]] = mapped_column(Date)
    office: Mapped[Office] = relationship()


class Closure(db.Model):
    """A closed day or closed hours, for one office or (office_id NULL) the whole centre.
    Public holidays are not stored: they come from the `holidays` package."""
    __tablename__ = "closures"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[Optional[int]] = mapped_column(ForeignKey("offices.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[Optional[str]] = mapped_column(String(5))
    end_time: Mapped[Optional[str]] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(String(200), default="")


class Appointment(db.Model):
    __tablename__ = "appointments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    token_seed: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    services: Mapped[list] = mapped_column(JSON)
    # Personal data: removed by the retention job, the rest stays for statistics.
    name: Mapped[Optional[str]] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(254), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(8))
    # domain.lifecycle.AppointmentStatus; its moves are domain.booking_flow's
    status: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reserved_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    visit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("visits.id"))
    office: Mapped[Office] = relationship()


class SlotClaim(db.Model):
    """One appointment holding one place ("lane") in one slot cell. The unique constraint
    is what makes capacity safe: two bookings can never hold the same place."""
    __tablename__ = "slot_claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    cell: Mapped[datetime] = mapped_column(UTCDateTime)
    lane: Mapped[int] = mapped_column(Integer)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    __table_args__ = (UniqueConstraint("office_id", "cell", "lane", name="uq_slot_place"),)


class WaitlistEntry(db.Model):
    """A resident who found no slot; offered the next one that frees up, in turn."""
    __tablename__ = "waitlist"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    services: Mapped[list] = mapped_column(JSON)
    email: Mapped[Optional[str]] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # domain.lifecycle.WaitlistStatus: waiting → offered → booked | lapsed; or left
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offered_appointment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("appointments.id"))
    offers: Mapped[int] = mapped_column(Integer, default=0)


class CalendarVersion(db.Model):
    """Raised in the same transaction as every place taken or given back in an office's
    calendar, so cached slot searches know when they are stale."""
    __tablename__ = "calendar_versions"
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class OutboundMail(db.Model):
    """A mail waiting to be sent, written in the transaction of what it reports: the sender
    job (services.mail_outbox) delivers it with retries, so a committed booking never
    loses its mail to a crash or an SMTP outage. Deleted once delivered."""
    __tablename__ = "outbound_mail"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(300))


# --- Insight ----------------------------------------------------------------------------

feedback_services = Table(
    "feedback_services", db.metadata,
    Column("feedback_id", ForeignKey("feedback.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)


class Feedback(db.Model):
    """"How was your visit?" 1-5 and an optional comment. Anonymous by construction: no
    visit, no time of day, only the local day and the services the visit had."""
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[Optional[str]] = mapped_column(String(1000))
    services: Mapped[list[Service]] = relationship(secondary=feedback_services)


class ReportHour(db.Model):
    """The roll-up: one row per service and clock hour (its UTC start) of a built day,
    so a year's report reads a few thousand rows instead of every step. Filled by the
    nightly job; today is computed on demand and never stored."""
    __tablename__ = "report_hours"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    # The hour on the centre's clock, kept so the database can sum a year by weekday, hour
    # and week without knowing time zones.
    weekday: Mapped[int] = mapped_column(Integer)      # ISO, 1 = Monday
    local_hour: Mapped[int] = mapped_column(Integer)
    week: Mapped[date] = mapped_column(Date)           # Monday of the local week
    arrivals: Mapped[int] = mapped_column(Integer, default=0)
    walk_ins: Mapped[int] = mapped_column(Integer, default=0)
    appointments: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_shows: Mapped[int] = mapped_column(Integer, default=0)
    within_target: Mapped[int] = mapped_column(Integer, default=0)
    service_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    service_count: Mapped[int] = mapped_column(Integer, default=0)
    desk_minutes: Mapped[float] = mapped_column(Float, default=0.0)


class ReportWaits(db.Model):
    """The roll-up's distributions, per local day and service (not per hour: a year's
    report then parses a few thousand small JSON objects, not tens of thousands)."""
    __tablename__ = "report_waits"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    waits: Mapped[dict] = mapped_column(JSON, default=dict)           # {minutes: count}
    promise_errors: Mapped[dict] = mapped_column(JSON, default=dict)  # {real - promised: n}


class ReportDay(db.Model):
    """A local day whose roll-up rows are built (possibly none: a closed day)."""
    __tablename__ = "report_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- The office -------------------------------------------------------------------------

class AuditEntry(db.Model):
    """One change made in the back office: who, when, what, and the fields before → after.
    Written in the transaction of the change itself, so there is no change without it."""
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))     # domain.office.AuditAction
    target: Mapped[str] = mapped_column(String(120), index=True)
    before: Mapped[Optional[dict]] = mapped_column(JSON)
    after: Mapped[Optional[dict]] = mapped_column(JSON)


class StateVersion(db.Model):
    """Counters every process reads to know a cache of its own is stale: "auth" is raised
    whenever a token, user or device loses (or changes) its rights."""
    __tablename__ = "state_versions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class Setting(db.Model):
    """A setting the admin owns (centre name, retention days, …), stored as JSON. An
    environment variable of the same name still wins (see services.settings)."""
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Optional[dict]] = mapped_column(JSON)
