"""The centre's clock. Services take `now` as an argument; only request edges call this."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def now():
    return datetime.now(timezone.utc)


def centre_tz():
    return ZoneInfo(current_app.config["TIMEZONE"])
