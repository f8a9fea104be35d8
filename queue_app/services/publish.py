"""After a commit: work out who must hear about it and hand that to events."""
import logging

from flask import current_app

from .. import events
from .queue_state import (call_payload, forget_stats, get_visit, queue_views, ticket_view,
                          waiting_counts)

log = logging.getLogger(__name__)


def queue_changed(now, visit_ids=(), service_ids=(), call=None, desks_or_times_changed=True):
    """Push fresh views of the touched visits and of everyone whose place moved.

    `call` is (step, recall) when a board must announce a number. Issuing a ticket changes
    neither open desks nor service times, so it keeps the cached estimate inputs.

    The change is committed already: a failure here must not turn it into an error for the
    caller (who might then retry it). Boards and phones heal on their next state sync.
    """
    try:
        _publish(now, visit_ids, service_ids, call, desks_or_times_changed)
    except Exception:
        log.exception("publishing a committed queue change failed")


def _publish(now, visit_ids, service_ids, call, desks_or_times_changed):
    if desks_or_times_changed:
        forget_stats()
    if call is not None:
        step, recall = call
        events.ticket_called(call_payload(step, recall), step.desk.zone.code)
    views = {v["id"]: v for v in queue_views(service_ids, now)}
    for public_id in visit_ids:
        if public_id not in views:
            visit = get_visit(public_id)
            if visit is not None:
                views[public_id] = ticket_view(visit, now)
    events.tickets_changed(views.values())
    events.waiting_changed_soon(current_app._get_current_object(), waiting_counts,
                                current_app.config["WAITING_COUNTS_DELAY"])
