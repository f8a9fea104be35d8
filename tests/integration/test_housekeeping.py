"""What a day leaves open is closed before the next one starts; numbering restarts."""
from datetime import timedelta

from sqlalchemy import select

from queue_app.extensions import db
from queue_app.models import Device, Staff
from queue_app.scheduler import create_scheduler
from queue_app.services import calling, desk_sessions, housekeeping, tickets
from queue_app.services.auth import Principal
from tests.helpers import NOW


def kiosk():
    return Principal(device=db.session.scalar(select(Device).where(Device.kind == "kiosk")))


def clerk(name):
    return db.session.scalar(select(Staff).where(Staff.username == name))


def test_yesterdays_open_visits_expire_and_numbers_restart(app_ctx):
    yesterday = NOW - timedelta(days=1)
    waiting, _ = tickets.issue_ticket(["anmeldung"], "de", None, yesterday, kiosk())
    called, _ = tickets.issue_ticket(["anmeldung"], "de", None, yesterday, kiosk())
    desk_sessions.sign_in("platz-1", clerk("mueller"), ["anmeldung"], yesterday)
    first = calling.call_next("platz-1", clerk("mueller"), yesterday)
    assert first["id"] == waiting["id"]

    assert housekeeping.close_stale_visits(NOW) == 2
    assert tickets.get_ticket(waiting["id"], NOW)["status"] == "expired"
    assert tickets.get_ticket(called["id"], NOW)["status"] == "expired"
    # Running it again changes nothing.
    assert housekeeping.close_stale_visits(NOW) == 0

    today, _ = tickets.issue_ticket(["anmeldung"], "de", None, NOW, kiosk())
    assert today["number"] == "A001"
    assert today["position"] == 1


def test_todays_visits_are_left_alone(app_ctx):
    ticket, _ = tickets.issue_ticket(["anmeldung"], "de", None, NOW, kiosk())
    assert housekeeping.close_stale_visits(NOW + timedelta(hours=3)) == 0
    assert tickets.get_ticket(ticket["id"], NOW)["status"] == "waiting"


def test_scheduler_has_the_nightly_job_in_the_centre_timezone(app):
    scheduler = create_scheduler(app)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("close_stale_visits")
        assert str(job.trigger.timezone) == "Europe/Berlin"
        assert "hour='0'" in str(job.trigger) and "minute='5'" in str(job.trigger)
    finally:
        scheduler.shutdown(wait=False)
