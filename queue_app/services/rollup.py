"""The reports' roll-up (domain/insight.py): built per local day by the nightly job,
computed in memory for today and for any day not built yet."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ..clock import centre_tz
from ..database import write_transaction
from ..domain import insight
from ..extensions import db
from ..models import (DeskSession, ReportDay, ReportHour, ReportWaits, Service, Step,
                      Visit)

COUNTS = ("arrivals", "walk_ins", "appointments", "served", "no_shows", "within_target",
          "service_minutes", "service_count", "desk_minutes")
# How far back the nightly job catches up on a database that never had a roll-up.
CATCH_UP_DAYS = 400


def day_bounds(day, tz):
    start = datetime.combine(day, time(0), tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
    return start, end


def _targets():
    return dict(db.session.execute(select(Service.id, Service.target_wait_minutes)).all())


def compute(day, now, targets=None):
    """{(service_id, hour): Cell} of one local day, from the steps and desk sessions."""
    tz = centre_tz()
    start, end = day_bounds(day, tz)
    steps = [insight.StepFact(*row) for row in db.session.execute(
        select(Step.service_id, Visit.source, Step.status, Step.queued_at, Step.called_at,
               Step.started_at, Step.finished_at, Step.promised_wait_minutes)
        .join(Visit, Step.visit_id == Visit.id).where(Visit.day == day))]
    sessions = [insight.SessionFact(s.started_at, s.ended_at,
                                    tuple(service.id for service in s.services))
                for s in db.session.scalars(
                    select(DeskSession).where(DeskSession.started_at < end,
                                              (DeskSession.ended_at.is_(None))
                                              | (DeskSession.ended_at > start))
                    .options(selectinload(DeskSession.services)))]
    return insight.cells_of_day(steps, sessions, targets or _targets(), start, end, now)


def build(day, now, targets=None):
    """Store one local day's cells (again): the day's rows are replaced as a whole."""
    cells = compute(day, now, targets)
    tz = centre_tz()
    with write_transaction():
        for model in (ReportHour, ReportWaits, ReportDay):
            db.session.execute(delete(model).where(model.day == day))
        db.session.add_all(
            ReportHour(service_id=sid, hour=hour, day=day,
                       **dict(zip(("weekday", "local_hour", "week"), insight.local_of(hour, tz))),
                       **{name: getattr(cell, name) for name in COUNTS})
            for (sid, hour), cell in cells.items())
        db.session.add_all(
            ReportWaits(day=day, service_id=sid, waits=_stored(waits),
                        promise_errors=_stored(errors))
            for sid, waits, errors in insight.distributions(cells))
        db.session.add(ReportDay(day=day, built_at=now))
    return len(cells)


def _stored(counts):
    # JSON objects have string keys; they are turned back on reading.
    return {str(k): n for k, n in counts.items()}


def _read(counts):
    return {int(k): n for k, n in counts.items()} if counts else {}


def build_missing(now):
    """The nightly job: every day before today that has no roll-up yet (and yesterday
    again, for visits closed after midnight). Returns the days built."""
    today = now.astimezone(centre_tz()).date()
    oldest = db.session.scalar(select(Visit.day).order_by(Visit.day).limit(1))
    if oldest is None:
        return []
    start = max(oldest, today - timedelta(days=CATCH_UP_DAYS))
    built = set(db.session.scalars(select(ReportDay.day).where(ReportDay.day >= start)))
    targets = _targets()
    days = []
    day = start
    while day < today:
        if day not in built or day == today - timedelta(days=1):
            build(day, now, targets)
            days.append(day)
        day += timedelta(days=1)
    return days


def totals(first, last, now, service_ids):
    """The period's roll-up summed for the reports (domain.insight.Totals): the database
    sums the built days, the other days (today, or before the first nightly run) are
    computed and added cell by cell."""
    ids = list(service_ids)
    built = set(db.session.scalars(
        select(ReportDay.day).where(ReportDay.day >= first, ReportDay.day <= last)))
    result = insight.Totals()
    period = (ReportHour.day >= first, ReportHour.day <= last, ReportHour.service_id.in_(ids))
    connection = db.session.connection()
    sums = [func.sum(getattr(ReportHour, name)) for name in COUNTS]
    for sid, *values in connection.execute(
            select(ReportHour.service_id, *sums).where(*period)
            .group_by(ReportHour.service_id)).all():
        result.per_service[sid] = insight.Cell(*[v or 0 for v in values])
    for weekday, hour, arrivals in connection.execute(
            select(ReportHour.weekday, ReportHour.local_hour, func.sum(ReportHour.arrivals))
            .where(*period).group_by(ReportHour.weekday, ReportHour.local_hour)).all():
        result.heat[(weekday, hour)] += arrivals
    for monday, arrivals, within in connection.execute(
            select(ReportHour.week, func.sum(ReportHour.arrivals),
                   func.sum(ReportHour.within_target))
            .where(*period).group_by(ReportHour.week)).all():
        week = result.weekly[_as_date(monday)]
        week.arrivals += arrivals
        week.within_target += within
    # Staffing is per cell (Erlang C is not additive): four numbers a row.
    result.load = [tuple(row) for row in connection.execute(
        select(ReportHour.service_id, ReportHour.local_hour, ReportHour.arrivals,
               ReportHour.desk_minutes).where(*period)).all()]
    for sid, day, waits, errors in connection.execute(
            select(ReportWaits.service_id, ReportWaits.day, ReportWaits.waits,
                   ReportWaits.promise_errors)
            .where(ReportWaits.day >= first, ReportWaits.day <= last,
                   ReportWaits.service_id.in_(ids))).all():
        result.add_spread(sid, _as_date(day), _read(waits), _read(errors))
    tz = centre_tz()
    today = now.astimezone(tz).date()
    targets = None
    day = first
    while day <= min(last, today):
        if day not in built:
            targets = targets or _targets()
            computed = compute(day, now, targets)
            for (sid, hour), cell in computed.items():
                if sid in service_ids:
                    result.add_cell(sid, insight.local_of(hour, tz), cell.counts_only())
            for sid, waits, errors in insight.distributions(computed):
                if sid in service_ids:
                    result.add_spread(sid, day, waits, errors)
        day += timedelta(days=1)
    return result


def _as_date(value):
    # SQLite hands Core a DATE as text.
    return date.fromisoformat(value) if isinstance(value, str) else value
