"""Background jobs (APScheduler 3). Started by the server process that owns them: in a
scale-out deployment exactly one process runs with RUN_SCHEDULER=1."""
import logging

from apscheduler.schedulers.background import BackgroundScheduler

from .clock import centre_tz, now
from .services.appointments import (forget_personal_data, mark_no_shows, release_lapsed,
                                    send_reminders)
from .services import settings
from .services.housekeeping import close_stale_visits

log = logging.getLogger(__name__)


def _job(app, func):
    def run():
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
    # Just after local midnight, and once at start to catch up after downtime.
    scheduler.add_job(_job(app, close_stale_visits), "cron", hour=0, minute=5,
                      id="close_stale_visits", coalesce=True, misfire_grace_time=3600)
    scheduler.add_job(_job(app, close_stale_visits), id="close_stale_visits_at_start")
    scheduler.add_job(_job(app, forget_personal_data), "cron", hour=0, minute=20,
                      id="forget_personal_data", coalesce=True, misfire_grace_time=3600)
    # Holds lapse within a minute of their time, so a freed place is offered on at once.
    scheduler.add_job(_job(app, release_lapsed), "interval", minutes=1, id="release_lapsed",
                      coalesce=True, max_instances=1)
    scheduler.add_job(_job(app, mark_no_shows), "interval", minutes=5, id="mark_no_shows",
                      coalesce=True, max_instances=1)
    # Reminders for tomorrow go out in the afternoon (and are caught up after downtime).
    scheduler.add_job(_job(app, send_reminders), "cron", hour="16-21", minute=0,
                      id="send_reminders", coalesce=True, misfire_grace_time=3600)
    return scheduler
