"""The centre's clock. Services take `now` as an argument; only request edges call this."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def now():
    """The real time, unless the app's FIXED_NOW holds its clock at one instant: tests of
    tomorrow's appointments or of a closing time later today need a day on which those
    exist, whatever day they run."""
    if has_app_context():
        fixed = current_app.config.get("FIXED_NOW")
        if fixed is not None:
            return fixed.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def centre_tz():
    return ZoneInfo(current_app.config["TIMEZONE"])
