"""Creating the schema and loading the demo centre."""
from sqlalchemy import func, select

from .. import schema
from ..extensions import db
from ..models import Office
from . import centre_file

SEED_ACTOR = "seed-demo"


def init_db():
    """Bring the database to the newest schema revision (an empty one gets every table)."""
    schema.upgrade()


def is_empty():
    return db.session.scalar(select(func.count(Office.id))) == 0


def seed_demo(now, data):
    """Load a centre file's data (config/demo_centre.py reads the demo's: `data.DATA`) into
    an empty database through the centre importer; False when there was data already. The
    caller chooses the data, so services never import it. Its `demo` section (one password,
    fixed device tokens) is the demo's alone."""
    if not is_empty():
        return False
    centre_file.import_centre(data.DATA, SEED_ACTOR, now, apply=True,
                              demo=data.DATA.get("demo"))
    return True
