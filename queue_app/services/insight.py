"""The reports page and the status report: every figure for a period, an office and a
service, from the roll-up, the feedback, the bookings and the staff's competencies."""
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select

from ..clock import centre_tz
from ..domain import insight
from ..domain.errors import InvalidInput
from ..domain.lifecycle import AppointmentStatus
from ..extensions import db
from ..models import Appointment, Feedback, Office, Service, feedback_services
from . import coverage, feedback, rollup
from .rollup import day_bounds


def _services(office=None, service=None):
    query = (select(Service).where(Service.active.is_(True))
             .order_by(Service.sort_order, Service.id))
    if office:
        found = db.session.scalar(select(Office.id).where(Office.code == office))
        if found is None:
            raise InvalidInput("No office with this code.", code="unknown_office", status=422)
        query = query.where(Service.office_id == found)
    if service:
        query = query.where(Service.code == service)
    chosen = db.session.scalars(query).all()
    if service and not chosen:
        raise InvalidInput("No active service with this code (in this office).",
                           code="unknown_service", status=422)
    return {s.id: s for s in chosen}


def choices():
    """Offices and services for the page's filters."""
    offices = db.session.scalars(select(Office).order_by(Office.id)).all()
    services = db.session.scalars(select(Service).where(Service.active.is_(True))
                                  .order_by(Service.sort_order, Service.id)).all()
    return offices, services


def _bookings(first, last, office_id_list):
    tz = centre_tz()
    start, _ = day_bounds(first, tz)
    _, end = day_bounds(last, tz)
    rows = db.session.execute(
        select(Appointment.status, func.count(Appointment.id))
        .where(Appointment.start >= start, Appointment.start < end,
               Appointment.office_id.in_(office_id_list))
        .group_by(Appointment.status)).all()
    counts = {str(s): 0 for s in AppointmentStatus}
    counts.update({status: n for status, n in rows})
    kept = counts[AppointmentStatus.BOOKED] + counts[AppointmentStatus.CHECKED_IN] + \
        counts[AppointmentStatus.NO_SHOW]
    return {"by_status": counts, "booked": kept,
            "no_show_share": round(counts[AppointmentStatus.NO_SHOW] / kept, 3)
            if kept else None}


def _feedback_weeks(first, last, service_ids):
    rows = db.session.execute(
        select(Feedback.day, feedback_services.c.service_id, func.count(Feedback.id),
               func.sum(Feedback.rating))
        .join(feedback_services, Feedback.id == feedback_services.c.feedback_id)
        .where(Feedback.day >= first, Feedback.day <= last,
               feedback_services.c.service_id.in_(list(service_ids)))
        .group_by(Feedback.day, feedback_services.c.service_id)).all()
    weeks = defaultdict(lambda: [0, 0])
    for day, sid, count, total in rows:
        key = (day - timedelta(days=day.weekday()), sid)
        weeks[key][0] += count
        weeks[key][1] += total
    return weeks


def period_report(first, last, now, office=None, service=None):
    services = _services(office, service)
    totals = rollup.totals(first, last, now, set(services))
    report = insight.figures(totals, services, first, last)
    report["filters"] = {"office": office, "service": service}
    codes = {s.code for s in services.values()}
    report["coverage"] = [row for row in coverage.coverage() if row["service"] in codes]
    report["feedback"] = [row for row in feedback.by_service(first, last)
                          if row["service"] in codes]
    weeks = _feedback_weeks(first, last, services)
    report["feedback_weeks"] = [
        {"week": monday.isoformat(), "service": services[sid].code, "count": n,
         "mean_rating": round(total / n, 2)}
        for (monday, sid), (n, total) in sorted(weeks.items())]
    report["comments"] = [c for c in feedback.comments(first, last)
                          if codes.intersection(c["services"])]
    report["bookings"] = _bookings(first, last, {s.office_id for s in services.values()})
    return report
