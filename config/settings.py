"""Settings classes. Every value can be overridden from the environment."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def normalise_database_url(url):
    """PostgreSQL goes through psycopg2, whose waits queue_app.async_mode makes cooperative
    under eventlet and gevent (psycopg 3 does not support eventlet)."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg2://" + url[len(plain):]
    return url


def _env_int(name, default):
    return int(os.environ.get(name, default))


def _secret_key():
    """SECRET_KEY, or one kept in instance/: signed sessions must survive a restart, and
    every process of a host must agree on it."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
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


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'anlaufstelle.sqlite3'}"))
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # Redis pub/sub channels ignore the database number: centres sharing a Redis need
    # their own channel.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "anlaufstelle")
    ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/Berlin")
    SMTP_URL = os.environ.get("SMTP_URL") or None
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(INSTANCE / "outbox"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "termine@anlaufstelle.invalid")
    # Fairness: at most this many priority calls in a row while a normal visitor
    # has waited beyond the service's target.
    MAX_PRIORITY_STREAK = _env_int("MAX_PRIORITY_STREAK", 3)
    # An appointment counts as due this many minutes before its start.
    APPOINTMENT_DUE_EARLY_MINUTES = _env_int("APPOINTMENT_DUE_EARLY_MINUTES", 5)
    LANGUAGES = ("de", "en", "tr", "ar", "uk")
    CENTRE_NAME = os.environ.get("CENTRE_NAME", "Anlaufstelle")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Berlin")
    # A kiosk or board page may stay open all day; its forms must still post.
    WTF_CSRF_TIME_LIMIT = None
    # Back to the start screen after this long without a touch (a warning comes first).
    KIOSK_IDLE_SECONDS = _env_int("KIOSK_IDLE_SECONDS", 60)
    # Print the ticket as soon as it is shown (start Chromium with --kiosk-printing).
    KIOSK_AUTO_PRINT = os.environ.get("KIOSK_AUTO_PRINT", "0") == "1"
    # Boards ask for the whole state this often, so a missed event heals itself.
    BOARD_POLL_SECONDS = _env_int("BOARD_POLL_SECONDS", 15)
    BOARD_HEARTBEAT_SECONDS = _env_int("BOARD_HEARTBEAT_SECONDS", 30)
    # The floor view calls a board silent after this long without a heartbeat.
    BOARD_SILENT_SECONDS = _env_int("BOARD_SILENT_SECONDS", 90)
    MAX_CONTENT_LENGTH = 64 * 1024
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
    STAFF_TOKEN_HOURS = _env_int("STAFF_TOKEN_HOURS", 12)
    # A process trusts a token it has checked for this long (revoking here acts at once).
    AUTH_CACHE_SECONDS = float(os.environ.get("AUTH_CACHE_SECONDS", "5"))
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 10000)
    RUN_SCHEDULER = os.environ.get("RUN_SCHEDULER", "1") == "1"
    # Wait estimates reuse recent service times and open-desk counts for this long.
    STATS_CACHE_SECONDS = float(os.environ.get("STATS_CACHE_SECONDS", "10"))
    # Boards get waiting counts at most this often (seconds); 0 sends them at once.
    WAITING_COUNTS_DELAY = float(os.environ.get("WAITING_COUNTS_DELAY", "0.5"))
    # --- Appointments ---
    CENTRE_ADDRESS = os.environ.get("CENTRE_ADDRESS", "")
    # Public holidays close the calendar: country and state (subdivision) for `holidays`.
    HOLIDAY_COUNTRY = os.environ.get("HOLIDAY_COUNTRY", "DE")
    HOLIDAY_SUBDIVISION = os.environ.get("HOLIDAY_SUBDIVISION", "BW")
    BOOKING_LEAD_MINUTES = _env_int("BOOKING_LEAD_MINUTES", 120)
    BOOKING_HORIZON_DAYS = _env_int("BOOKING_HORIZON_DAYS", 60)
    # The day that enters the horizon opens at this local time ("" = at midnight).
    BOOKING_RELEASE_AT = os.environ.get("BOOKING_RELEASE_AT", "07:00")
    MAX_ACTIVE_BOOKINGS_PER_EMAIL = _env_int("MAX_ACTIVE_BOOKINGS_PER_EMAIL", 2)
    # With confirmation on, a booking is "reserved" until the link in the mail is followed.
    BOOKING_REQUIRES_CONFIRMATION = os.environ.get("BOOKING_REQUIRES_CONFIRMATION", "0") == "1"
    RESERVATION_HOLD_MINUTES = _env_int("RESERVATION_HOLD_MINUTES", 30)
    # A slot offered to the next person on the waiting list is held for them this long.
    WAITLIST_OFFER_MINUTES = _env_int("WAITLIST_OFFER_MINUTES", 60)
    CHECK_IN_EARLY_MINUTES = _env_int("CHECK_IN_EARLY_MINUTES", 30)
    CHECK_IN_GRACE_MINUTES = _env_int("CHECK_IN_GRACE_MINUTES", 15)
    # Names, addresses and phone numbers go this many days after the appointment.
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 14)
    # Recent slot searches kept per process (0 = compute every search afresh).
    SLOT_SEARCH_CACHE_SIZE = _env_int("SLOT_SEARCH_CACHE_SIZE", 256)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_SLOTS = os.environ.get("RATELIMIT_SLOTS", "60 per minute")
    RATELIMIT_BOOKING = os.environ.get("RATELIMIT_BOOKING", "5 per minute;20 per hour")
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies stand in front (X-Forwarded-For is trusted that deep).
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)
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
    RATELIMIT_SLOTS = "1000 per minute"
    RATELIMIT_BOOKING = "1000 per minute"
    MAIL_OUTBOX = None   # each test that sends mail names its own folder
