"""Domain events reach boards and phones only after their transaction committed, from the
one after-commit hook: a rolled-back change announces nothing."""
import pytest
from sqlalchemy import select

from queue_app.database import record, write_transaction
from queue_app.domain import visit_flow
from queue_app.extensions import db, socketio
from queue_app.models import Step, Visit
from queue_app.services.visit_rows import apply, visit_state
from tests.helpers import NOW


def _board(app):
    board = socketio.test_client(app, namespace="/display", auth={"zone": "eg"})
    board.get_received("/display")   # the state sent on connect
    return board


def _calls(board):
    return [m["args"][0] for m in board.get_received("/display") if m["name"] == "called"]


def test_a_call_is_announced_once_after_its_commit(app, api):
    board = _board(app)
    ticket = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    _calls(board)
    r = api.call_next("platz-1", "mueller")
    assert r.status_code == 200
    assert [c["number"] for c in _calls(board)] == [ticket["number"]]


def test_a_rolled_back_move_announces_nothing(app, api):
    ticket = api.issue("anmeldung")
    api.sign_in("platz-1", "mueller", "anmeldung")
    board = _board(app)
    phone = socketio.test_client(app, namespace="/ticket", auth={"ticket": ticket["id"]})
    phone.get_received("/ticket")
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            with write_transaction():
                visit = db.session.scalar(select(Visit).where(Visit.public_id == ticket["id"]))
                moved = visit_flow.leave(visit_state(visit), NOW)
                apply(visit, moved)
                assert moved.events
                raise RuntimeError("the request failed after the move")
        status = db.session.scalar(select(Step.status).where(
            Step.visit_id == select(Visit.id).where(Visit.public_id == ticket["id"])
            .scalar_subquery()))
        db.session.remove()
    assert status == "waiting"
    assert _calls(board) == []
    assert phone.get_received("/ticket") == []


def test_events_of_a_failed_commit_are_dropped(app, api):
    """The commit itself fails (a second visit with the same day and number): the event
    recorded before it must not go out, nor linger for the next transaction."""
    first = api.issue("anmeldung")
    board = _board(app)
    phone = socketio.test_client(app, namespace="/ticket", auth={"ticket": first["id"]})
    phone.get_received("/ticket")
    with app.test_request_context():
        visit = db.session.scalar(select(Visit).where(Visit.public_id == first["id"]))
        state = visit_state(visit)
        with pytest.raises(Exception):
            with write_transaction():
                record(*visit_flow.leave(state, NOW).events)
                db.session.add(Visit(public_id="dup", day=visit.day, number=visit.number,
                                     lang="de", status="waiting", created_at=NOW))
        with write_transaction():
            pass   # a later, empty transaction hands on nothing left over
        db.session.remove()
    assert _calls(board) == []
    assert phone.get_received("/ticket") == []


def test_a_committed_move_reaches_the_phone(app, api):
    """The counterpart of the two above: the same move, committed, is pushed."""
    ticket = api.issue("anmeldung")
    phone = socketio.test_client(app, namespace="/ticket", auth={"ticket": ticket["id"]})
    phone.get_received("/ticket")
    with app.test_request_context():
        with write_transaction():
            visit = db.session.scalar(select(Visit).where(Visit.public_id == ticket["id"]))
            apply(visit, visit_flow.leave(visit_state(visit), NOW))
        db.session.remove()
    pushed = [m["args"][0] for m in phone.get_received("/ticket") if m["name"] == "ticket"]
    assert [v["status"] for v in pushed] == ["left"]
