"""Alembic's environment: runs inside the app (Flask-Migrate or queue_app.schema), on the
app's own engine, so SQLite gets the same connection settings as the server."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# `init-db` and the tests run quietly inside a process whose logging is set up already;
# the `flask db` commands log what they do.
if (config.config_file_name and not config.attributes.get("quiet")
        and not logging.getLogger().handlers):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def skip_empty_autogenerate(context, revision, directives):
    """`flask db migrate` without a model change writes no empty script."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline():
    context.configure(url=migrate.db.engine.url.render_as_string(hide_password=False),
                      target_metadata=target_metadata, literal_binds=True,
                      **migrate.configure_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    args = {"process_revision_directives": skip_empty_autogenerate, **migrate.configure_args}
    engine = migrate.db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table to alter it; foreign keys would refuse the swap
            # (the pragma is ignored inside a transaction, so it is set before one).
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=connection, target_metadata=target_metadata, **args)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
