"""After a commit: work out who must hear about it and hand that to events."""
from .. import events
from .queue_state import call_payload, get_visit, queue_views, ticket_view, waiting_counts


def queue_changed(now, visit_ids=(), service_ids=(), call=None):
    """Push fresh views of the touched visits and of everyone whose place moved.

    `call` is (step, recall) when a board must announce a number.
    """
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
    events.waiting_changed(waiting_counts())
