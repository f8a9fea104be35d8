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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
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
    # Fairness: at most this many priority calls in a row while a normal visitor
    # has waited beyond the service's target.
    MAX_PRIORITY_STREAK = _env_int("MAX_PRIORITY_STREAK", 3)
    # An appointment counts as due this many minutes before its start.
    APPOINTMENT_DUE_EARLY_MINUTES = _env_int("APPOINTMENT_DUE_EARLY_MINUTES", 5)
    LANGUAGES = ("de", "en", "tr", "ar", "uk")
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
