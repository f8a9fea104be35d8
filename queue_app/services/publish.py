"""After a commit: work out who must hear about it and hand that to events.

`handle` is the one after-commit handler (create_app registers it with the database's
write transaction): it turns a transaction's domain events into fresh views for the
visitors whose place moved, board announcements and waiting counts. No use case calls it.

The board's announcement and the moved visitors' own views go out at once. The fresh
positions of a whole queue (everybody behind a call moves up) are computed in one pass
and, outside tests, in a background task: the clerk's call-next does not wait for them,
and calls arriving while one such pass is pending share it.
"""
import threading

import logging

from flask import current_app
from sqlalchemy.orm import joinedload

from .. import events
from ..domain import domain_events as ev
from ..extensions import db
from ..models import Desk, Step
from . import mail_outbox
from .queue_state import (call_payload, get_visit, queue_views, refresh_stats, ticket_view,
                          waiting_counts)

log = logging.getLogger(__name__)

_ANNOUNCED = (ev.Called, ev.Recalled)
FAN_OUT_CHUNK = 50


def handle(domain_events):
    """The change is committed already: a failure here must not turn it into an error for
    the caller (who might then retry it). Boards and phones heal on their next state sync.
    """
    try:
        _publish(domain_events)
    except Exception:
        log.exception("publishing a committed queue change failed")
    try:
        mail_outbox.after_commit(domain_events)
    except Exception:
        log.exception("starting mail delivery failed; the sender job tries again")


def _publish(domain_events):
    visit_ids, service_ids, calls = [], set(), []
    queue_events = False
    # A new ticket changes neither open desks nor service times: the cached estimate inputs
    # stay, and nobody follows it yet; only one that goes ahead moves others back.
    desks_or_times_changed = False
    for event in domain_events:
        if isinstance(event, ev.Issued):
            queue_events = True
            if event.ahead:
                service_ids.add(event.service)
        elif isinstance(event, ev.VisitEvent):
            queue_events = desks_or_times_changed = True
            if event.visit not in visit_ids:
                visit_ids.append(event.visit)
            service_ids.add(event.service)
            if isinstance(event, _ANNOUNCED):
                calls.append((event.step, isinstance(event, ev.Recalled)))
        elif isinstance(event, ev.DeskServicesChanged):
            queue_events = desks_or_times_changed = True
            service_ids.update(event.services)
    if not queue_events:
        return
    now = max(e.at for e in domain_events)
    app = current_app._get_current_object()
    background = app.config["POSITIONS_IN_BACKGROUND"]
    if desks_or_times_changed:
        # Before the views below, which estimate from them; in the background the queue's
        # pass does it first (until then a ticket gets the estimate a moment behind).
        if not background:
            refresh_stats(service_ids, now)
    for step_id, recall in calls:
        step = db.session.scalar(
            db.select(Step).where(Step.id == step_id)
            .options(joinedload(Step.visit), joinedload(Step.service),
                     joinedload(Step.desk).joinedload(Desk.zone)))
        events.ticket_called(call_payload(step, recall), step.desk.zone.code)
    views = {} if background else {v["id"]: v for v in queue_views(service_ids, now)}
    for public_id in visit_ids:
        if public_id not in views:
            visit = get_visit(public_id)
            if visit is not None:
                views[public_id] = ticket_view(visit, now)
    events.tickets_changed(views.values())
    if background:
        _queues.request(app, service_ids, now, stats=desks_or_times_changed)
    events.waiting_changed_soon(app, waiting_counts, app.config["WAITING_COUNTS_DELAY"])


class _QueueFanOut:
    """Fresh views for everybody waiting in some services, once per pending request: a
    pass not yet begun reads the queue as it will be, so later requests join it. With
    `stats`, the pass first reloads those services' estimate inputs."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}   # service id -> latest `now` asked for
        self._stale = set()  # service ids whose estimate inputs the pass reloads

    def request(self, app, service_ids, now, stats=False):
        if not service_ids:
            return
        with self._lock:
            new = set(service_ids) - set(self._pending)
            for service_id in service_ids:
                self._pending[service_id] = max(now, self._pending.get(service_id, now))
            if stats:
                self._stale.update(service_ids)
        if new:
            events.in_background(self._run, app, new)

    def _run(self, app, service_ids):
        with self._lock:
            now = max(self._pending.pop(s) for s in service_ids)
            stale = self._stale & service_ids
            self._stale -= stale
        try:
            with app.app_context():
                if stale:
                    refresh_stats(stale, now)
                # Nobody following a ticket needs no view of it: computing 2,000 views
                # for a queue where 50 phones listen would be most of a call's cost.
                views = queue_views(service_ids, now, only=events.followed_tickets(app))
                events.tickets_changed(views, yield_every=FAN_OUT_CHUNK)
        except Exception:
            log.exception("sending the queue's new positions failed")


_queues = _QueueFanOut()
