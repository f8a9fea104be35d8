"""The database's counts and heads give exactly what the domain rule gives on the whole
queue: random queues (ties, priority, appointments due and not) on both databases."""
import random
from datetime import timedelta

from sqlalchemy import delete, select

from queue_app.domain.lifecycle import StepStatus, VisitSource, VisitStatus
from queue_app.domain.ordering import pick_next, queue_position
from queue_app.extensions import db
from queue_app.models import Service, Step, Visit
from queue_app.services.queue_state import (call_policy, queue_views, waiting_candidates,
                                            waiting_heads, waiting_position)
from tests.helpers import NOW

ROUNDS = 12


def _fill(rng, services, round_no):
    """Up to 30 waiting visitors over a few distinct minutes, so timestamps tie."""
    for i in range(rng.randint(0, 30)):
        appointment = (NOW + timedelta(minutes=rng.randint(-20, 20))
                       if rng.random() < 0.3 else None)
        visit = Visit(public_id=f"fast-{round_no}-{i}", day=NOW.date(),
                      number=f"Q{round_no}-{i}", lang="de",
                      priority="elderly" if rng.random() < 0.3 else None,
                      source=VisitSource.APPOINTMENT if appointment else VisitSource.WALK_IN,
                      status=VisitStatus.WAITING, current_position=0, created_at=NOW,
                      appointment_at=appointment)
        visit.steps.append(Step(position=0, service=rng.choice(services),
                                status=StepStatus.WAITING,
                                queued_at=NOW - timedelta(minutes=rng.randint(0, 5))))
        db.session.add(visit)
    db.session.commit()


def _empty():
    db.session.execute(delete(Step))
    db.session.execute(delete(Visit))
    db.session.commit()


def test_counted_positions_and_heads_equal_the_full_queue_rule(app_ctx):
    rng = random.Random(13)
    services = db.session.scalars(select(Service).order_by(Service.id)).all()[:2]
    ids = [s.id for s in services]
    policy = call_policy(services)
    for round_no in range(ROUNDS):
        _empty()
        _fill(rng, services, round_no)
        now = NOW + timedelta(minutes=rng.randint(-5, 15))
        queue, public_ids = waiting_candidates(ids)
        visits = {v.id: v for v in db.session.scalars(select(Visit))}
        batch = {v["id"]: v["position"] for v in queue_views(ids, now)}
        for step in db.session.scalars(select(Step)):
            expected = queue_position(step.id, queue, now, policy)
            assert waiting_position(step, visits[step.visit_id], now, policy) == expected
            assert batch[public_ids[step.id]] == expected
        codes = [s.code for s in services]
        for desk_services in (codes, codes[:1], codes[1:]):
            for streak in range(5):
                heads = waiting_heads([s for s in services if s.code in desk_services],
                                      now, policy)
                assert (pick_next(heads, desk_services, now, policy, streak)
                        == pick_next(queue, desk_services, now, policy, streak))
