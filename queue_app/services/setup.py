"""Creating the schema and loading the demo centre."""
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..database import write_transaction
from .. import schema
from ..extensions import db
from ..models import Desk, Office, OpeningRule, Service, Staff, Zone
from .auth import create_device


def init_db():
    """Bring the database to the newest schema revision (an empty one gets every table)."""
    schema.upgrade()


def is_empty():
    return db.session.scalar(select(func.count(Office.id))) == 0


def seed_demo(now, data):
    """Load a centre's data (offices, services, zones, desks, staff, opening rules,
    devices: see config/demo_centre.py for the shape) into an empty database; False when
    there was data already. The caller chooses the data, so services never import it."""
    if not is_empty():
        return False
    # One hash for all demo users: the same password, and scrypt is slow on purpose.
    password_hash = generate_password_hash(data.DEMO_PASSWORD)
    with write_transaction():
        offices = {o["code"]: Office(code=o["code"], names=o["names"]) for o in data.OFFICES}
        services = {}
        for order, s in enumerate(data.SERVICES):
            services[s["code"]] = Service(
                code=s["code"], office=offices[s["office"]], prefix=s["prefix"],
                duration_minutes=s["duration"], walk_in=s["walk_in"], bookable=s["bookable"],
                target_wait_minutes=s["target_wait"], names=s["names"],
                documents=s["documents"], sort_order=order)
        zones = {z["code"]: Zone(code=z["code"], names=z["names"]) for z in data.ZONES}
        desks = [Desk(code=d["code"], name=d["name"], zone=zones[d["zone"]]) for d in data.DESKS]
        staff = [Staff(username=u["username"], role=u["role"], display_name=u["name"],
                       password_hash=password_hash,
                       services=[services[c] for c in u["services"]]) for u in data.STAFF]
        db.session.add_all([*offices.values(), *services.values(), *zones.values(), *desks,
                            *staff])
        for rule in data.OPENING_RULES:
            office = offices[rule["office"]]
            db.session.add(OpeningRule(
                office=office, weekdays=rule["weekdays"], start_time=rule["start"],
                end_time=rule["end"], parallel=rule["parallel_desks"],
                slot_minutes=rule["slot_minutes"],
                services=[c for c, s in services.items() if s.office is office and s.bookable]))
    for device in data.DEVICES:
        create_device(device["name"], device["kind"], device["zone"], now, token=device["token"])
    return True
