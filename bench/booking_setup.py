"""Databases prepared for the booking benches: demo centre, one office's rules replaced."""
from datetime import timedelta

from sqlalchemy import delete, select

from config import demo_centre
from config.settings import Config
from queue_app import create_app
from queue_app.clock import now
from queue_app.extensions import db
from queue_app.models import OpeningRule, Office
from queue_app.services import appointments, availability, setup


def prepare(database_url, office, rules, bookings=0, services=("anmeldung",), outbox=None):
    """Seed the demo, give `office` these rules, then book `bookings` slots in a spread so
    the calendar is partly full, as it is on a real day."""
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=database_url, RUN_SCHEDULER=False,
                     MAIL_OUTBOX=outbox or "/tmp/bench-outbox",
                     MAX_ACTIVE_BOOKINGS_PER_EMAIL=10 ** 6)
    with app.app_context():
        setup.init_db()
        setup.seed_demo(now(), demo_centre)
        office_id = db.session.scalar(select(Office.id).where(Office.code == office))
        db.session.execute(delete(OpeningRule).where(OpeningRule.office_id == office_id))
        for rule in rules:
            db.session.add(OpeningRule(office_id=office_id, **rule))
        db.session.commit()
        if bookings:
            moment = now()
            found = availability.find_slots(list(services), moment.date(),
                                            moment.date() + timedelta(days=60), moment)
            for n, slot in enumerate(found[::max(1, len(found) // bookings)][:bookings]):
                appointments.book(list(services), slot.start, f"B{n}", f"b{n}@example.org",
                                  "de", True, moment, notify=False)
        db.session.remove()
        db.engine.dispose()
