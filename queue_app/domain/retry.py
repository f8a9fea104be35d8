"""When to try again after a failed delivery: exponential backoff with a ceiling."""
from datetime import datetime, timedelta

FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


def next_attempt(attempts: int, now: datetime, first: timedelta = FIRST_WAIT,
                 longest: timedelta = LONGEST_WAIT) -> datetime:
    """The moment of the next try after `attempts` failed ones (1 = the first failed):
    30 s, 1 min, 2 min, … never more than an hour apart."""
    if attempts < 1:
        return now
    return now + min(longest, first * 2 ** min(attempts - 1, 30))


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
