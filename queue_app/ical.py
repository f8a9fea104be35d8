"""Calendar files (RFC 5545) for appointments, through `icalendar`.

One UID per appointment for its whole life; every change raises SEQUENCE, so calendar
programs replace the old entry instead of adding a second one. DTSTART/DTEND carry the
centre's TZID with a matching VTIMEZONE; DTSTAMP is UTC.
"""
from datetime import timezone
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from .domain.lifecycle import AppointmentStatus

PRODID = "-//Anlaufstelle//Appointments//DE"


def appointment_calendar(view, now, tz, method="PUBLISH", summary="", location="",
                         description=""):
    """`view` is an appointment view (services.appointments.appointment_view)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", view["uid"])
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", view["start_at"].astimezone(tz))
    event.add("dtend", view["end_at"].astimezone(tz))
    event.add("sequence", view["sequence"])
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if view["status"] == AppointmentStatus.CANCELLED
              else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(_vtimezone(str(tz)))
    cal.add_component(event)
    return cal.to_ical()


@lru_cache(maxsize=8)
def _vtimezone_ical(tzid):
    # Building a VTIMEZONE walks decades of transitions: once per zone and process.
    return Timezone.from_tzid(tzid).to_ical()


def _vtimezone(tzid):
    return Timezone.from_ical(_vtimezone_ical(tzid))
