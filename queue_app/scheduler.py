"""Background jobs (APScheduler 3). In a scale-out deployment one process should run with
RUN_SCHEDULER=1, but a second scheduler is harmless: on PostgreSQL only the process that
holds an advisory lock runs jobs, and every job changes rows by conditional updates, so
even two running at once act on each row once."""
import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from .clock import centre_tz, now
from .extensions import db
from .services.appointments import (forget_personal_data, mark_no_shows, release_lapsed,
                                    send_reminders)
from .services import settings
from .services.housekeeping import close_stale_visits
from .services.mail_outbox import deliver_due
from .services.rollup import build_missing as build_report_rollup

log = logging.getLogger(__name__)


# pg_try_advisory_lock key ("Anla"); advisory locks are per database, so centres with
# databases of their own on one server do not meet.
LEADER_LOCK_KEY = 0x416E6C61


class Leadership:
    """On PostgreSQL, whether this process is the one that runs the jobs: it holds a
    session-level advisory lock on a connection of its own for the life of the process.
    A process without it asks again before each job, so a follower takes over within a
    minute of the leader's death (its connection closes, the lock goes with it)."""

    def __init__(self, app):
        self.app = app
        self.connection = None
        # Jobs run in the scheduler's worker threads and may ask at the same moment.
        self._lock = threading.Lock()

    def held(self):
        with self._lock:
            return self._held()

    def _held(self):
        with self.app.app_context():
            url = db.engine.url
        if url.get_backend_name() != "postgresql":
            return True
        try:
            if self.connection is not None:
                self.connection.execute(text("SELECT 1"))
                self.connection.commit()
                return True
            return self._try(url)
        except DBAPIError:
            log.warning("scheduler: lost the database connection that held the leader lock")
            self._drop()
            return False

    def _try(self, url):
        engine = create_engine(url, poolclass=NullPool)
        connection = engine.connect()
        won = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                 {"key": LEADER_LOCK_KEY}).scalar()
        connection.commit()
        if not won:
            connection.close()
            return False
        self.connection = connection
        print("Scheduler: this process runs the scheduled jobs (leader lock held).",
              flush=True)
        return True

    def _drop(self):
        try:
            self.connection.close()
        except Exception:  # already broken: nothing to close
            pass
        self.connection = None


def _job(app, func, leadership):
    def run():
        if not leadership.held():
            return
        with app.app_context():
            try:
                settings.apply()
                func(now())
            except Exception:  # a failed run must not kill the scheduler thread
                log.exception("scheduled job %s failed", func.__name__)
    run.__name__ = func.__name__
    return run


def create_scheduler(app):
    with app.app_context():
        tz = centre_tz()
    scheduler = BackgroundScheduler(timezone=tz)
    leadership = Leadership(app)
    scheduler.leadership = leadership

    def job(func):
        return _job(app, func, leadership)
    # Just after local midnight, and once at start to catch up after downtime.
    scheduler.add_job(job(close_stale_visits), "cron", hour=0, minute=5,
                      id="close_stale_visits", coalesce=True, misfire_grace_time=3600)
    scheduler.add_job(job(close_stale_visits), id="close_stale_visits_at_start")
    scheduler.add_job(job(forget_personal_data), "cron", hour=0, minute=20,
                      id="forget_personal_data", coalesce=True, misfire_grace_time=3600)
    # After the stale visits are closed: yesterday's figures are final. At start too, so a
    # centre that was down (or upgraded) catches up.
    scheduler.add_job(job(build_report_rollup), "cron", hour=0, minute=40,
                      id="build_report_rollup", coalesce=True, misfire_grace_time=3600)
    scheduler.add_job(job(build_report_rollup), id="build_report_rollup_at_start")
    # Holds lapse within a minute of their time, so a freed place is offered on at once.
    scheduler.add_job(job(release_lapsed), "interval", minutes=1, id="release_lapsed",
                      coalesce=True, max_instances=1)
    scheduler.add_job(job(mark_no_shows), "interval", minutes=5, id="mark_no_shows",
                      coalesce=True, max_instances=1)
    # Reminders for tomorrow go out in the afternoon (and are caught up after downtime).
    scheduler.add_job(job(send_reminders), "cron",
                      **_fields(app.config["REMINDER_SCHEDULE"]),
                      id="send_reminders", coalesce=True, misfire_grace_time=3600)
    # The outbox's sender: mail not delivered right after its commit (mail server away,
    # a process that died) is retried here, with backoff per mail.
    scheduler.add_job(job(deliver_due), "interval",
                      seconds=app.config["MAIL_RETRY_SECONDS"], id="deliver_mail",
                      coalesce=True, max_instances=1)
    return scheduler


def _fields(schedule):
    """"hour=16-21 minute=0" → APScheduler cron fields."""
    return dict(part.split("=", 1) for part in schedule.split())
