"""Between a visit's rows and the domain's visit state: read one, write the other back."""
from ..database import record
from ..domain.lifecycle import StepStatus, VisitStatus
from ..domain.visit_flow import StepState, VisitState


def visit_state(visit):
    steps = sorted(visit.steps, key=lambda s: s.position)
    return VisitState(
        steps=tuple(StepState(StepStatus(s.status), s.service_id, s.id) for s in steps),
        current=visit.current_position, status=VisitStatus(visit.status),
        ref=visit.public_id)


def apply(visit, moved):
    """Write the move's statuses onto the rows (matched by position) and record its events
    on the transaction. A step the move added (a transfer) must exist as a row already."""
    rows = {s.position: s for s in visit.steps}
    for position, step in enumerate(moved.state.steps):
        rows[position].status = step.status
    visit.status = moved.state.status
    visit.current_position = moved.state.current
    record(*moved.events)
