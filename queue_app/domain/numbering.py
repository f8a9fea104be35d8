"""Ticket numbers: a prefix per service and a counter per local day."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

PREFIX_PATTERN = re.compile(r"^[A-Z]{1,2}$")


def local_day(now: datetime, timezone: str) -> date:
    """The centre's calendar day for an aware instant: numbering restarts at local midnight."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


def format_number(prefix: str, sequence: int) -> str:
    """A017: easy to read aloud, grows to four digits on a very busy day."""
    if not PREFIX_PATTERN.match(prefix):
        raise ValueError(f"invalid prefix {prefix!r}")
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}{sequence:03d}"


def spoken_number(number: str) -> str:
    """'A017' → 'A 17', the way a board announces it."""
    match = re.match(r"^([A-Z]+)0*(\d+)$", number)
    if not match:
        return number
    return f"{match.group(1)} {match.group(2)}"
