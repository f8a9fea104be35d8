"""The schema's history: Alembic migrations in `migrations/` at the repository root.

`upgrade()` brings any database to the newest revision (an empty one gets every table);
`pending()` tells the server whether the database it was given is behind.
"""
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import event, inspect, text
from sqlalchemy.types import TypeDecorator

from .extensions import db

# Absolute, so the app finds its migrations from any working directory.
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "alembic_version"
# The schema that `db.create_all()` made before migrations existed.
BASELINE = "0001_baseline"
UPGRADE_COMMAND = "flask --app queue_app db upgrade"


def render_item(type_, obj, autogen_context):
    """Scripts name plain SQLAlchemy types: UTCDateTime is stored as DATETIME, and a script
    must not import the models it outlives."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def alembic_config():
    config = current_app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
    config.attributes["quiet"] = True
    return config


def _current_revisions(connection):
    return set(MigrationContext.configure(connection).get_current_heads())


def heads():
    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def upgrade():
    """Upgrade to the newest revision. A database built by `create_all` before migrations
    existed (tables, no version) is recorded as the baseline first, so its data stays."""
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE not in tables and "offices" in tables:
        command.stamp(alembic_config(), BASELINE)
    command.upgrade(alembic_config(), "head")


def no_tables():
    """No tables at all: a new database."""
    with db.engine.connect() as connection:
        return not inspect(connection).get_table_names()


def pending():
    """The revisions the database lacks; empty when it is at the newest one."""
    with db.engine.connect() as connection:
        return heads() - _current_revisions(connection)


@event.listens_for(db.metadata, "after_drop")
def _drop_version_table(_metadata, connection, **_kw):
    """`db.drop_all()` leaves nothing behind: an emptied database upgrades from scratch."""
    connection.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
