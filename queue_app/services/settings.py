"""Settings an admin owns, stored in the database and read by every process per request
(and per scheduled job), so a change acts at once without a restart. Where the environment
sets one, the environment wins: the page shows the value and says so.

Each setting is a config key the code already reads (current_app.config[...]); a stored
value is written over the config before each request. Until the admin saves one, the
configured default stands.

Saving a setting the environment sets is refused (409 on the API): a value stored then
would do nothing now and take effect unnoticed the day the variable is removed.
"""
import os
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..database import write_transaction
from ..domain.errors import Conflict, InvalidInput, Problems
from ..domain.office import AuditAction
from ..extensions import db
from ..models import Setting
from . import audit, state_versions


@dataclass(frozen=True)
class Spec:
    key: str            # the config key, and the environment variable that overrides it
    kind: type          # str, int or bool
    low: int = 0
    high: int = 0


SPECS = (
    Spec("CENTRE_NAME", str, 1, 120),
    Spec("RETENTION_DAYS", int, 1, 3650),
    Spec("CHECK_IN_EARLY_MINUTES", int, 0, 240),
    Spec("CHECK_IN_GRACE_MINUTES", int, 0, 120),
    Spec("KIOSK_IDLE_SECONDS", int, 10, 3600),
    Spec("MAX_ACTIVE_BOOKINGS_PER_EMAIL", int, 1, 50),
    Spec("BOOKING_REQUIRES_CONFIRMATION", bool),
)
BY_KEY = {s.key: s for s in SPECS}


def from_environment(key):
    return key in os.environ


_DEFAULTS = "anlaufstelle.setting_defaults"


def _defaults(app):
    """What each setting is without a stored value (the environment's or the configured
    one), noted before the first stored value is written over the config: the app's
    start-up (and `python -m queue_app --demo`) may still set some after create_app."""
    if _DEFAULTS not in app.extensions:
        app.extensions[_DEFAULTS] = {s.key: app.config[s.key] for s in SPECS}
    return app.extensions[_DEFAULTS]


_APPLIED = "anlaufstelle.settings_applied"
_NEVER = object()


def apply():
    """Write the stored values over the config, if they changed since this app last did:
    their version comes with the request's one read of the state versions, so an
    unchanged store costs no query of its own."""
    app = current_app
    _defaults(app)
    version = state_versions.current(state_versions.SETTINGS)
    if app.extensions.get(_APPLIED, _NEVER) == version:
        return
    for key, value in db.session.execute(select(Setting.key, Setting.value)):
        if key in BY_KEY and not from_environment(key):
            app.config[key] = value["value"]
    app.extensions[_APPLIED] = version


def _source(key, stored):
    if from_environment(key):
        return "environment"
    return "database" if key in stored else "default"


def overview():
    """Each setting: the value in effect, the value without a stored one (`default`),
    where the value comes from (`source`: environment, database or default), whether the
    environment overrides it, and a stored value the environment hides."""
    config = current_app.config
    defaults = _defaults(current_app)
    stored = {k: v["value"] for k, v in db.session.execute(select(Setting.key, Setting.value))}
    return [{"key": s.key, "kind": s.kind.__name__, "low": s.low, "high": s.high,
             "value": config[s.key] if from_environment(s.key) else stored.get(
                 s.key, defaults[s.key]),
             "default": defaults[s.key], "source": _source(s.key, stored),
             "from_environment": from_environment(s.key), "stored": s.key in stored,
             "stored_value": stored.get(s.key)}
            for s in SPECS]


def _check(spec, value):
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise InvalidInput("Yes or no (true or false).", code="invalid_setting",
                               field=spec.key)
        return value
    if spec.kind is int:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not whole or not spec.low <= value <= spec.high:
            raise InvalidInput(f"A whole number from {spec.low} to {spec.high}.",
                               code="out_of_range" if whole else "invalid_setting",
                               field=spec.key, low=spec.low, high=spec.high)
        return value
    if (not isinstance(value, str) or not spec.low <= len(value.strip()) <= spec.high
            or not value.strip().isprintable()):
        raise InvalidInput(f"{spec.low} to {spec.high} characters, on one line.",
                           code="invalid_setting", field=spec.key, low=spec.low,
                           high=spec.high)
    return value.strip()


def save(actor, values, now):
    """Store the given settings, all or none, audited; returns {key: new value} of those
    that changed. Unknown keys and bad values are 422, a setting the environment sets 409
    (see the module's docstring)."""
    if not isinstance(values, dict) or not values:
        raise InvalidInput("Name at least one setting and its new value.",
                           code="no_settings")
    for key in values:
        if key not in BY_KEY:
            raise InvalidInput(f"Unknown setting {key}; known are {', '.join(BY_KEY)}.",
                               code="unknown_setting", field=key)
    for key in values:
        if from_environment(key):
            raise Conflict(f"{key} is set by the environment variable {key}, which wins: "
                           f"a value stored here would have no effect. Unset the variable "
                           f"(and restart) to change it here.",
                           code="set_by_environment", field=key)
    problems = Problems()
    cleaned = {k: problems.check(_check, BY_KEY[k], v) for k, v in values.items()}
    problems.raise_any()
    try:
        after = _store(actor, cleaned, now)
    except IntegrityError:
        # Another process stored the same setting first (PostgreSQL; SQLite writers queue):
        # once more, and the row is there to change.
        db.session.rollback()
        after = _store(actor, cleaned, now)
    apply()       # _store raised the version if anything changed
    return after


def _store(actor, cleaned, now):
    with write_transaction():
        rows = {r.key: r for r in db.session.scalars(select(Setting))}
        before, after = {}, {}
        for key, value in cleaned.items():
            old = rows[key].value["value"] if key in rows else current_app.config[key]
            if key in rows:
                rows[key].value = {"value": value}
            else:
                db.session.add(Setting(key=key, value={"value": value}))
            if old != value:
                before[key], after[key] = old, value
        if after:
            audit.note(actor, AuditAction.SETTINGS_CHANGED, "settings", before, after, now)
            state_versions.raise_version(state_versions.SETTINGS)
    return after
