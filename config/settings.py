"""Settings: read from the environment and checked when an app is created (create_app),
never at import, so a bad value stops the start with one line naming it."""
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def normalise_database_url(url):
    """PostgreSQL goes through psycopg2, whose waits queue_app.async_mode makes cooperative
    under eventlet and gevent (psycopg 3 does not support eventlet)."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url[len(plain):]
    return url


class SettingsError(ValueError):
    """A setting that cannot work; its message is the one line the operator reads."""


def _text(value):
    return value


def _optional(value):
    return value or None


def _flag(value):
    return value == "1"


def _int(value):
    return int(value)


def _float(value):
    return float(value)


def _instant(value):
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment.astimezone(timezone.utc)


_KINDS = {_int: "a whole number", _float: "a number",
          _instant: "an instant with its UTC offset (e.g. 2031-12-02T10:00+01:00)"}

# Config key, environment variable, default, how the text is read.
FROM_ENVIRONMENT = (
    ("SECRET_KEY", "SECRET_KEY", "", _text),
    ("SQLALCHEMY_DATABASE_URI", "DATABASE_URL",
     f"sqlite:///{INSTANCE / 'anlaufstelle.sqlite3'}", _text),
    ("SOCKETIO_MESSAGE_QUEUE", "SOCKETIO_MESSAGE_QUEUE", "", _optional),
    # Redis pub/sub channels ignore the database number: centres sharing a Redis need
    # their own channel.
    ("SOCKETIO_CHANNEL", "SOCKETIO_CHANNEL", "anlaufstelle", _text),
    # Redis (message queue, rate-limit store) that hangs costs at most this per try.
    ("REDIS_TIMEOUT_SECONDS", "REDIS_TIMEOUT_SECONDS", "0.5", _float),
    ("ASYNC_MODE", "ASYNC_MODE", "eventlet", _text),
    ("TIMEZONE", "TIMEZONE", "Europe/Berlin", _text),
    # For tests only: the clock stands still at this instant (queue_app/clock.py), so a
    # live server lives on the day a test needs. Empty: the real clock.
    ("FIXED_NOW", "FIXED_NOW", "", _instant),
    # One console line per request (method, path, status, ms); "0" turns it off.
    ("REQUEST_LOG", "REQUEST_LOG", "1", _flag),
    ("BABEL_DEFAULT_TIMEZONE", "TIMEZONE", "Europe/Berlin", _text),
    ("SMTP_URL", "SMTP_URL", "", _optional),
    ("MAIL_OUTBOX", "MAIL_OUTBOX", str(INSTANCE / "outbox"), _text),
    ("MAIL_FROM", "MAIL_FROM", "termine@anlaufstelle.invalid", _text),
    # The outbox: tries per mail before it is kept in MAIL_OUTBOX for staff, how often the
    # scheduler's sender looks for due mail, and whether delivery after a commit runs
    # after the response (servers) or before it (in-process tests).
    ("MAIL_MAX_ATTEMPTS", "MAIL_MAX_ATTEMPTS", "8", _int),
    ("MAIL_RETRY_SECONDS", "MAIL_RETRY_SECONDS", "30", _int),
    ("MAIL_DELIVER_IN_BACKGROUND", "MAIL_DELIVER_IN_BACKGROUND", "1", _flag),
    # Fairness: at most this many priority calls in a row while a normal visitor
    # has waited beyond the service's target.
    ("MAX_PRIORITY_STREAK", "MAX_PRIORITY_STREAK", "3", _int),
    # An appointment counts as due this many minutes before its start.
    ("APPOINTMENT_DUE_EARLY_MINUTES", "APPOINTMENT_DUE_EARLY_MINUTES", "5", _int),
    ("CENTRE_NAME", "CENTRE_NAME", "Anlaufstelle", _text),
    # Back to the start screen after this long without a touch (a warning comes first).
    ("KIOSK_IDLE_SECONDS", "KIOSK_IDLE_SECONDS", "60", _int),
    # A printed ticket's screen (with its QR code) goes back to the start this much later.
    ("KIOSK_CLEAR_AFTER_PRINT_SECONDS", "KIOSK_CLEAR_AFTER_PRINT_SECONDS", "15", _int),
    # Print the ticket as soon as it is shown (start Chromium with --kiosk-printing).
    ("KIOSK_AUTO_PRINT", "KIOSK_AUTO_PRINT", "0", _flag),
    # When walk-in desks close today: "" = the office's opening hours of the day, "HH:MM" =
    # one time for all, "off" = no limit. Past it (with the queue), kiosks offer appointments.
    ("WALK_IN_CLOSES_AT", "WALK_IN_CLOSES_AT", "", _text),
    # Boards ask for the whole state this often, so a missed event heals itself.
    ("BOARD_POLL_SECONDS", "BOARD_POLL_SECONDS", "15", _int),
    ("BOARD_HEARTBEAT_SECONDS", "BOARD_HEARTBEAT_SECONDS", "30", _int),
    # The floor view calls a board silent after this long without a heartbeat.
    ("BOARD_SILENT_SECONDS", "BOARD_SILENT_SECONDS", "90", _int),
    ("PUBLIC_URL", "PUBLIC_URL", "", _optional),
    ("STAFF_TOKEN_HOURS", "STAFF_TOKEN_HOURS", "12", _int),
    # A process trusts a token it has checked for this long (revoking here acts at once).
    ("AUTH_CACHE_SECONDS", "AUTH_CACHE_SECONDS", "5", _float),
    ("SQLITE_BUSY_TIMEOUT_MS", "SQLITE_BUSY_TIMEOUT_MS", "10000", _int),
    # PostgreSQL that hangs: a statement, a wait for the server, a wait for a pooled
    # connection each end after this long, and the request answers 503 (queue_app.db_timeouts).
    ("DB_STATEMENT_TIMEOUT_MS", "DB_STATEMENT_TIMEOUT_MS", "4000", _int),
    ("DB_WAIT_SECONDS", "DB_WAIT_SECONDS", "5", _float),
    ("DB_POOL_TIMEOUT", "DB_POOL_TIMEOUT", "3", _float),
    # PostgreSQL connections a process keeps open, and how many more it may open for a
    # moment (closed again when given back). A request holds one from its first query to
    # its end, so keep the pool near the requests a process runs at once: a connection
    # opened and closed per request costs more than the request (a server process forked).
    # Mind the server's max_connections: processes x (size + overflow).
    ("DB_POOL_SIZE", "DB_POOL_SIZE", "20", _int),
    ("DB_POOL_OVERFLOW", "DB_POOL_OVERFLOW", "10", _int),
    ("RUN_SCHEDULER", "RUN_SCHEDULER", "1", _flag),
    # When reminders for tomorrow go out (APScheduler cron fields).
    ("REMINDER_SCHEDULE", "REMINDER_SCHEDULE", "hour=16-21 minute=0", _text),
    # Wait estimates reuse recent service times and open-desk counts for this long.
    ("STATS_CACHE_SECONDS", "STATS_CACHE_SECONDS", "10", _float),
    # Boards get waiting counts at most this often (seconds); 0 sends them at once.
    ("WAITING_COUNTS_DELAY", "WAITING_COUNTS_DELAY", "0.5", _float),
    # Send a moved queue's new positions after the response, not before it.
    ("POSITIONS_IN_BACKGROUND", "POSITIONS_IN_BACKGROUND", "1", _flag),
    # --- Appointments ---
    ("CENTRE_ADDRESS", "CENTRE_ADDRESS", "", _text),
    # Public holidays close the calendar: country and state (subdivision) for `holidays`.
    ("HOLIDAY_COUNTRY", "HOLIDAY_COUNTRY", "DE", _text),
    ("HOLIDAY_SUBDIVISION", "HOLIDAY_SUBDIVISION", "BW", _text),
    ("BOOKING_LEAD_MINUTES", "BOOKING_LEAD_MINUTES", "120", _int),
    ("BOOKING_HORIZON_DAYS", "BOOKING_HORIZON_DAYS", "60", _int),
    # The day that enters the horizon opens at this local time ("" = at midnight).
    ("BOOKING_RELEASE_AT", "BOOKING_RELEASE_AT", "07:00", _text),
    ("MAX_ACTIVE_BOOKINGS_PER_EMAIL", "MAX_ACTIVE_BOOKINGS_PER_EMAIL", "2", _int),
    # With confirmation on, a booking is "reserved" until the link in the mail is followed.
    ("BOOKING_REQUIRES_CONFIRMATION", "BOOKING_REQUIRES_CONFIRMATION", "0", _flag),
    ("RESERVATION_HOLD_MINUTES", "RESERVATION_HOLD_MINUTES", "30", _int),
    # A slot offered to the next person on the waiting list is held for them this long.
    ("WAITLIST_OFFER_MINUTES", "WAITLIST_OFFER_MINUTES", "60", _int),
    ("CHECK_IN_EARLY_MINUTES", "CHECK_IN_EARLY_MINUTES", "30", _int),
    ("CHECK_IN_GRACE_MINUTES", "CHECK_IN_GRACE_MINUTES", "15", _int),
    # Names, addresses and phone numbers go this many days after the appointment.
    ("RETENTION_DAYS", "RETENTION_DAYS", "14", _int),
    # Recent slot searches kept per process (0 = compute every search afresh).
    ("SLOT_SEARCH_CACHE_SIZE", "SLOT_SEARCH_CACHE_SIZE", "256", _int),
    # Residents' requests (booking, slot search, waiting list, reschedule) running at once
    # in one process (0 = no limit); the next wait in line this long, the rest hear 429
    # `busy` with Retry-After (queue_app/admission.py). Two per core: one computing while
    # another waits for the database; more only take turns with each other and with the
    # kiosks beside them.
    ("RESIDENT_REQUESTS_AT_ONCE", "RESIDENT_REQUESTS_AT_ONCE",
     str(2 * (os.cpu_count() or 1)), _int),
    ("RESIDENT_WAIT_SECONDS", "RESIDENT_WAIT_SECONDS", "0.5", _float),
    ("RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI", "memory://", _text),
    # Centres (or test runs) sharing one Redis keep their counts apart.
    ("RATELIMIT_KEY_PREFIX", "RATELIMIT_KEY_PREFIX", "", _text),
    ("RATELIMIT_SLOTS", "RATELIMIT_SLOTS", "60 per minute", _text),
    ("RATELIMIT_BOOKING", "RATELIMIT_BOOKING", "5 per minute;20 per hour", _text),
    # Failed logins: per client, per account from one client, per account from anywhere;
    # the longer windows make a guesser wait longer and longer, and every one ends.
    ("RATELIMIT_LOGIN_CLIENT", "RATELIMIT_LOGIN_CLIENT",
     "10 per minute;40 per hour;100 per day", _text),
    ("RATELIMIT_LOGIN_ACCOUNT", "RATELIMIT_LOGIN_ACCOUNT", "5 per minute;20 per hour", _text),
    ("RATELIMIT_LOGIN_ACCOUNT_ALL", "RATELIMIT_LOGIN_ACCOUNT_ALL",
     "30 per minute;100 per hour", _text),
    # A refused login answers only after this pause (a guessing script slows to a trickle).
    ("LOGIN_REFUSAL_DELAY_SECONDS", "LOGIN_REFUSAL_DELAY_SECONDS", "1", _float),
    # A person types a booking code in some seconds; a script trying codes is stopped.
    ("RATELIMIT_CHECK_IN", "RATELIMIT_CHECK_IN", "20 per minute;200 per hour", _text),
    # How many reverse proxies stand in front (X-Forwarded-For is trusted that deep).
    ("PROXY_COUNT", "PROXY_COUNT", "0", _int),
    # Cookies only over HTTPS: on wherever the centre is served over HTTPS (deployment).
    ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE", "0", _flag),
    # Boards refuse to be framed unless this names the page that may (CSP source list).
    ("BOARD_FRAME_ANCESTORS", "BOARD_FRAME_ANCESTORS", "", _optional),
)


class Config:
    """Values that do not come from the environment. A subclass (TestConfig) may replace
    any setting; its values win over the environment's."""
    # The staff session also reads the report API (GET only): never sent by another site.
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    LANGUAGES = ("de", "en", "tr", "ar", "uk")
    BABEL_DEFAULT_LOCALE = "de"
    # A kiosk or board page may stay open all day; its forms must still post.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_URL_LENGTH = 4096
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_SAMESITE = "Lax"
    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    ASYNC_MODE = "threading"
    RUN_SCHEDULER = False
    # In-process tests see every effect at once; live-server tests run the defaults.
    STATS_CACHE_SECONDS = 0
    AUTH_CACHE_SECONDS = 0
    WAITING_COUNTS_DELAY = 0
    POSITIONS_IN_BACKGROUND = False
    RATELIMIT_SLOTS = "1000 per minute"
    RATELIMIT_BOOKING = "1000 per minute"
    MAIL_OUTBOX = None   # each test that sends mail names its own folder
    # Tests run at any hour against the demo's morning hours; the intake tests set a time.
    WALK_IN_CLOSES_AT = "off"
    REQUEST_LOG = False
    # Schema work and a loaded test machine may take longer than a request ever should;
    # the time-outs themselves are tested on live servers, which run the defaults.
    DB_STATEMENT_TIMEOUT_MS = 0
    DB_WAIT_SECONDS = 120
    MAIL_DELIVER_IN_BACKGROUND = False
    # A failed send is kept in the folder at once (tests of retries set more).
    MAIL_MAX_ATTEMPTS = 1


def from_environment(environ):
    """Every setting the environment gives, or its default; a value not of its kind is a
    SettingsError naming the variable."""
    values = {}
    for key, name, default, read in FROM_ENVIRONMENT:
        text = environ.get(name, default)
        try:
            values[key] = read(text)
        except ValueError:
            raise SettingsError(f"{name}={text!r} is not {_KINDS[read]}.") from None
    return values


def validate(config):
    """Refuse settings that would otherwise fail later, inside a request or a job."""
    release = config["BOOKING_RELEASE_AT"]
    if release and not _is_clock_time(release):
        raise SettingsError(f"BOOKING_RELEASE_AT={release!r} is not a time of day as HH:MM "
                            "(e.g. 07:00), nor empty for midnight.")
    closes = config["WALK_IN_CLOSES_AT"]
    if closes and closes != "off" and not _is_clock_time(closes):
        raise SettingsError(f"WALK_IN_CLOSES_AT={closes!r} is not a time of day as HH:MM "
                            "(e.g. 17:30), nor empty (the opening hours) or off.")
    for key in ("RESIDENT_REQUESTS_AT_ONCE", "RESIDENT_WAIT_SECONDS"):
        if config[key] < 0:
            raise SettingsError(f"{key}={config[key]!r} must not be negative (0 turns the "
                                "residents' admission limit off, or waits not at all).")
    for key in ("TIMEZONE", "BABEL_DEFAULT_TIMEZONE"):
        try:
            ZoneInfo(config[key])
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"TIMEZONE={config[key]!r} is not a time zone name "
                                "(e.g. Europe/Berlin).") from None
    url = config["SQLALCHEMY_DATABASE_URI"]
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in ("sqlite", "postgresql"):
        raise SettingsError(f"DATABASE_URL={url!r} is not a database URL this app can use "
                            "(sqlite:///path or postgresql://user@host/name).")


def _is_clock_time(text):
    hours, _, minutes = text.partition(":")
    return (len(hours) == len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
            and int(hours) < 24 and int(minutes) < 60)


def configure(config, config_object=None, overrides=None):
    """Fill a Flask config: the environment, then the settings class, then explicit
    overrides; checked as a whole."""
    config.update(from_environment(os.environ))
    config.from_object(config_object or Config)
    config.update(overrides or {})
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    validate(config)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_key()


def _secret_key():
    """A key kept in instance/: signed sessions must survive a restart, and every process
    of a host must agree on it."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(exist_ok=True)
        # Written aside and linked in: two processes starting at once agree on one key.
        spare = INSTANCE / f".secret_key.{os.getpid()}"
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(spare, path)
        except FileExistsError:
            pass
        finally:
            spare.unlink()
    return path.read_text().strip()
