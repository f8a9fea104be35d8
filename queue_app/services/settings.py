"""Settings an admin owns, stored in the database and read by every process per request
(and per scheduled job), so a change acts at once without a restart. Where the environment
sets one, the environment wins: the page shows the value and says so.

Each setting is a config key the code already reads (current_app.config[...]); a stored
value is written over the config before each request. Until the admin saves one, the
configured default stands.
"""
import os
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..database import write_transaction
from ..domain.errors import InvalidInput
from ..domain.office import AuditAction
from ..extensions import db
from ..models import Setting
from . import audit


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


def apply(config=None):
    """Write the stored values over the config (one small query)."""
    config = current_app.config if config is None else config
    for key, value in db.session.execute(select(Setting.key, Setting.value)):
        if key in BY_KEY and not from_environment(key):
            config[key] = value["value"]


def overview():
    config = current_app.config
    stored = {k: v["value"] for k, v in db.session.execute(select(Setting.key, Setting.value))}
    return [{"key": s.key, "kind": s.kind.__name__, "low": s.low, "high": s.high,
             "value": config[s.key] if from_environment(s.key) else stored.get(
                 s.key, config[s.key]),
             "from_environment": from_environment(s.key), "stored": s.key in stored}
            for s in SPECS]


def _check(spec, value):
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise InvalidInput("Yes or no.", field=spec.key)
        return value
    if spec.kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not (
                spec.low <= value <= spec.high):
            raise InvalidInput(f"A whole number from {spec.low} to {spec.high}.",
                               code="out_of_range", field=spec.key)
        return value
    if not isinstance(value, str) or not spec.low <= len(value.strip()) <= spec.high:
        raise InvalidInput(f"{spec.low} to {spec.high} characters.", field=spec.key)
    return value.strip()


def save(actor, values, now):
    """Store the given settings (those the environment sets are refused), audited."""
    for key in values:
        if key not in BY_KEY:
            raise InvalidInput(f"Unknown setting {key}.", code="unknown_setting", field=key)
        if from_environment(key):
            raise InvalidInput(f"{key} is set by the environment, which wins.",
                               code="set_by_environment", field=key)
    cleaned = {k: _check(BY_KEY[k], v) for k, v in values.items()}
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
    apply()
    return after
