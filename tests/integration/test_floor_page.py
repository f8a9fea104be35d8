"""The supervisor's floor view: queues against targets, open desks, silent boards."""
from datetime import timedelta

from sqlalchemy import select, update

from queue_app.clock import now
from queue_app.extensions import db
from queue_app.models import Device, Step
from queue_app.services.devices import record_heartbeat
from tests.helpers import Pages


def _supervisor(app):
    pages = Pages(app.test_client())
    assert pages.login("leitung").status_code == 302
    return pages


def test_floor_shows_queues_desks_and_alerts(app, api):
    api.issue("anmeldung")
    api.issue("kfz-zulassung")
    api.sign_in("platz-3", "mueller", "anmeldung")
    with app.app_context():
        # The registration visitor has waited 45 minutes against a 30-minute target.
        db.session.execute(update(Step).where(Step.service_id.in_(
            select(Step.service_id).where(Step.status == "waiting").limit(1)))
            .values(queued_at=now() - timedelta(minutes=45)))
        db.session.commit()
        db.session.remove()
    page = _supervisor(app).client.get("/floor?lang=en").text
    assert "Register your address: the longest wait is 45 minutes (target 30)." in page
    assert "Platz 3" in page and "over target" in page


def test_boards_that_went_silent_are_flagged(app):
    with app.app_context():
        boards = db.session.scalars(select(Device).where(Device.kind == "display")).all()
        record_heartbeat(boards[0].id, now())
        db.session.execute(update(Device).where(Device.id == boards[1].id)
                           .values(last_seen_at=now() - timedelta(minutes=10)))
        db.session.commit()
        names = [b.name for b in boards]
        db.session.remove()
    live = _supervisor(app).client.get("/floor/live?lang=en").text
    assert f"Board {names[1]} has gone silent." in live
    assert f"Board {names[0]} has gone silent." not in live
    assert "<td>Ground floor</td>" in live and "<td>eg</td>" not in live   # names, not codes


def test_floor_is_for_supervisors_and_admins(app, client):
    assert client.get("/floor").status_code == 302
    admin = Pages(app.test_client())
    admin.login("admin")
    assert admin.client.get("/floor").status_code == 200


def test_floor_alerts_a_queue_that_no_open_desk_serves(app, api):
    api.issue("kfz-zulassung")
    api.issue("kfz-zulassung")
    api.sign_in("platz-3", "mueller", "anmeldung")
    live = _supervisor(app).client.get("/floor/live?lang=en").text
    assert "Register a vehicle: 2 visitors wait and no open desk serves this." in live
    assert "All waits are within their targets." not in live
    api.sign_in("platz-4", "schmidt", "kfz-zulassung")
    live = _supervisor(app).client.get("/floor/live?lang=en").text
    assert "no open desk serves this" not in live
