"""`flask --app queue_app …` commands for admins."""
import functools
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .clock import now
from .domain.errors import DomainError
from .services import auth, centre_file, devices, setup


def _fail_on_domain_error(func):
    @functools.wraps(func)
    @with_appcontext
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            raise click.ClickException(exc.message)
    return wrapper


@click.command("init-db")
@with_appcontext
def init_db():
    """Create the tables (existing data is kept)."""
    setup.init_db()
    click.echo(f"Database ready: {current_app.config['SQLALCHEMY_DATABASE_URI']}")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Load the demo centre into an empty database."""
    from config import demo_centre

    setup.init_db()
    if setup.seed_demo(now(), demo_centre):
        click.echo("Demo centre loaded.")
    else:
        click.echo("The database has data already; nothing was loaded.")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(auth.ROLES), required=True)
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
@click.option("--services", default="", help="Comma-separated service codes (competencies).")
@click.option("--name", default="", help="Display name.")
@_fail_on_domain_error
def create_user(username, role, password_stdin, services, name):
    """Create a staff user."""
    password = sys.stdin.readline().rstrip("\r\n")
    codes = [c.strip() for c in services.split(",") if c.strip()]
    auth.create_user(username, role, password, codes, display_name=name)
    click.echo(f"Created {role} {username}.")


@click.command("create-device")
@click.argument("name")
@click.option("--kind", type=click.Choice(devices.DEVICE_KINDS), required=True)
@click.option("--zone", default=None)
@_fail_on_domain_error
def create_device(name, kind, zone):
    """Register a kiosk or display board; prints its token as the last line."""
    token = devices.create_device(name, kind, zone, now())
    click.echo(f"Registered {kind} {name}. Its token (shown only now):")
    click.echo(token)


@click.command("revoke-device")
@click.argument("name")
@_fail_on_domain_error
def revoke_device(name):
    """Revoke a device: its token stops working at once."""
    devices.revoke_device(name, now())
    click.echo(f"Revoked {name}.")


@click.command("export-centre")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_fail_on_domain_error
def export_centre(file):
    """Write the centre (offices, zones, desks, services, opening rules, closures, staff
    without passwords, devices without tokens) as a YAML file; '-' for standard output."""
    text = centre_file.dump(centre_file.export())
    with click.open_file(file, "w", encoding="utf-8") as out:
        out.write(text)
    if file != "-":
        click.echo(f"Centre written to {file}.")


@click.command("import-centre")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--apply", is_flag=True, help="Make the changes (without it: a dry run).")
@_fail_on_domain_error
def import_centre(file, apply):
    """Bring the database in line with a centre file. Prints what it changes; a dry run
    unless --apply. Creates and changes by code, deletes nothing but an office's opening
    rules that the file replaces. New users get no password (an admin sets one), new
    devices no token (the office issues one)."""
    setup.init_db()
    changes = centre_file.import_centre(centre_file.load(file.read()), "import-centre", now(),
                                        apply=apply)
    for line in changes:
        click.echo(f"  {line}")
    if not changes:
        click.echo("Nothing to change: the database matches the file.")
    elif apply:
        click.echo(f"Applied {len(changes)} change(s).")
    else:
        click.echo(f"Dry run: {len(changes)} change(s) not made. Run again with --apply.")


def init_app(app):
    for command in (init_db, seed_demo, create_user, create_device, revoke_device,
                    export_centre, import_centre):
        app.cli.add_command(command)
