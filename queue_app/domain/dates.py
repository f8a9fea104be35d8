"""The calendar the centre works in. Dates far outside it (year 1, year 9999) are refused
where they come in: arithmetic on them overflows, and no appointment or report is there."""
from datetime import date, datetime

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)


def in_range(moment):
    day = moment.date() if isinstance(moment, datetime) else moment
    return EARLIEST <= day <= LATEST
