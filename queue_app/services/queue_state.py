"""Read models of the queue: ticket views, positions, estimates, waiting counts, board state.

One visitor's position is counted by the database (`waiting_position`), never by reading
the queue: placing a newcomer costs the same with 10 or 2,000 waiting. Views for a whole
service queue (after a call moved everyone) are built in one pass: one query for the
queue, one sort per service (`queue_positions`), one query for the visits and their steps.
"""
import functools
import time
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from ..domain.estimates import estimate_wait_minutes
from ..domain.lifecycle import ENDED_VISIT, HELD, StepStatus
from ..domain.numbering import spoken_number
from ..domain.ordering import CallPolicy, Candidate, due_by, queue_positions, rank
from ..extensions import db
from ..links import public_url
from ..models import Desk, DeskSession, Service, Step, Visit, Zone, desk_session_services
from .i18n import localized_with_lang

RECENT_SAMPLES = 20


def call_policy(services):
    cfg = current_app.config
    return CallPolicy(
        max_priority_streak=cfg["MAX_PRIORITY_STREAK"],
        appointment_due_early=timedelta(minutes=cfg["APPOINTMENT_DUE_EARLY_MINUTES"]),
        target_wait={s.code: timedelta(minutes=s.target_wait_minutes) for s in services},
    )


def waiting_candidates(service_ids):
    """Every waiting step of these services as candidates, with their visits' public ids:
    the whole queue, read the slow way. No request path uses it (positions are counted,
    heads are queried); it is the reference the fast paths are tested against."""
    rows = db.session.execute(
        select(Step.id, Step.queued_at, Service.code, Visit.priority, Visit.appointment_at,
               Visit.public_id)
        .join(Visit, Step.visit_id == Visit.id).join(Service, Step.service_id == Service.id)
        .where(Step.status == StepStatus.WAITING, Step.service_id.in_(service_ids))
    ).all()
    candidates = [Candidate(step_id=r.id, service=r.code, queued_at=r.queued_at,
                            priority=r.priority is not None, appointment_at=r.appointment_at)
                  for r in rows]
    return candidates, {r.id: r.public_id for r in rows}


class ServiceStats:
    """Recent service minutes and open desks per service, loaded once per batch.

    Kept per process for STATS_CACHE_SECONDS: every ticket needs them, they move slowly, and
    this process reloads them whenever a desk opens, closes, calls or finishes here
    (`refresh_stats`). Another process may see a change a few seconds late; it is an
    estimate.
    """

    _cache = {}

    def __init__(self, service_ids, now, reload=False):
        self.recent = defaultdict(list)
        self.desks = defaultdict(int)
        ttl = current_app.config["STATS_CACHE_SECONDS"]
        clock = time.monotonic()
        missing = []
        for service_id in service_ids:
            # Without a time to keep them (tests), what another app left here is not read.
            hit = self._cache.get(service_id) if ttl > 0 and not reload else None
            if hit and hit[0] > clock:
                self.recent[service_id], self.desks[service_id] = hit[1], hit[2]
            else:
                missing.append(service_id)
        if missing:
            self._load(missing, now)
            if ttl > 0:
                for service_id in missing:
                    self._cache[service_id] = (clock + ttl, self.recent[service_id],
                                               self.desks[service_id])

    def _load(self, service_ids, now):
        since = now - timedelta(hours=12)
        # The latest RECENT_SAMPLES of each service, chosen by the database: by the
        # afternoon a busy service has hundreds of finished steps, and converting them all
        # to keep twenty was most of a reload.
        latest = (
            select(Step.service_id, Step.started_at, Step.called_at, Step.finished_at,
                   func.row_number().over(partition_by=Step.service_id,
                                          order_by=Step.finished_at.desc()).label("n"))
            .where(Step.service_id.in_(service_ids), Step.status == StepStatus.DONE,
                   Step.finished_at >= since,
                   or_(Step.started_at.is_not(None), Step.called_at.is_not(None)))
            .subquery())
        finished = db.session.execute(
            select(latest.c.service_id, latest.c.started_at, latest.c.called_at,
                   latest.c.finished_at)
            .where(latest.c.n <= RECENT_SAMPLES).order_by(latest.c.finished_at.desc())
        ).all()
        for row in finished:
            minutes = served_minutes(row)
            if minutes is not None:
                self.recent[row.service_id].append(minutes)
        open_desks = db.session.execute(
            select(desk_session_services.c.service_id, func.count())
            .join(DeskSession, DeskSession.id == desk_session_services.c.desk_session_id)
            .where(DeskSession.ended_at.is_(None),
                   desk_session_services.c.service_id.in_(service_ids))
            .group_by(desk_session_services.c.service_id)
        ).all()
        for service_id, count in open_desks:
            self.desks[service_id] = count

    def estimate(self, service, position):
        return estimate_wait_minutes(position, self.recent[service.id],
                                     service.duration_minutes, self.desks[service.id])


def served_minutes(step):
    """Minutes a finished step took at the desk: from start, or from the call when the clerk
    never pressed start. None when the times are missing."""
    begun = step.started_at or step.called_at
    if begun is None or step.finished_at is None:
        return None
    return (step.finished_at - begun).total_seconds() / 60


def refresh_stats(service_ids, now):
    """Reload these services' estimate inputs after a desk opened, closed, called or
    finished here. Done by the change's own after-commit work rather than dropped for the
    next reader: in a busy hour that reader was nearly always a kiosk's ticket, which then
    paid two more queries (and two more waits behind the rest of the process) for it."""
    ServiceStats(service_ids, now, reload=True)


def track_url(public_id):
    return public_url(f"/t/{public_id}")


def current_step(visit):
    for step in visit.steps:
        if step.position == visit.current_position:
            return step
    return None


def _step_view(step, lang):
    name, name_lang = localized_with_lang(step.service.names, lang)
    return {"service": step.service.code, "name": name, "name_lang": name_lang,
            "status": step.status}


def _candidate(step, visit):
    return Candidate(step_id=step.id, service=step.service_id, queued_at=step.queued_at,
                     priority=visit.priority is not None, appointment_at=visit.appointment_at)


def _due(now, policy):
    return and_(Visit.appointment_at.is_not(None), Visit.appointment_at <= due_by(now, policy))


def waiting_position(step, visit, now, policy):
    """queue_position of one waiting step, counted by the database.

    The count follows domain.ordering.rank exactly. For an ordinary visitor it is the
    waiting steps queued before (an index range, no join) plus the few queued after who go
    ahead anyway (priority, appointment due); only priority and due visitors, who are few,
    need the join over their service's queue.
    """
    target = _candidate(step, visit)
    klass = rank(target, now, policy)[0]
    params = {"service": step.service_id, "queued_at": step.queued_at, "step": step.id,
              "appointment_at": visit.appointment_at, "due_by": due_by(now, policy)}
    counts = db.session.connection().execute(_position_query(klass, step.id is None), params)
    return 1 + sum(counts.one())


@functools.lru_cache(maxsize=None)
def _position_query(klass, newcomer):
    """waiting_position's statement for one rank class, built once with bind parameters:
    building the expression anew was a tenth of a ticket's time."""
    queued_at = bindparam("queued_at", type_=Step.queued_at.type)
    step_id = bindparam("step", type_=Step.id.type)
    appointment_at = bindparam("appointment_at", type_=Visit.appointment_at.type)
    due = and_(Visit.appointment_at.is_not(None),
               Visit.appointment_at <= bindparam("due_by", type_=Visit.appointment_at.type))
    # Each as a range of ix_steps_waiting_order plus a filter on the tie, so the database
    # walks only the part of the index that can match.
    if newcomer:
        # A newcomer placed before its row is written: every step there is came first.
        earlier, later = Step.queued_at <= queued_at, Step.queued_at > queued_at
    else:
        earlier = and_(Step.queued_at <= queued_at,
                       or_(Step.queued_at < queued_at, Step.id < step_id))
        later = and_(Step.queued_at >= queued_at,
                     or_(Step.queued_at > queued_at, Step.id > step_id))

    def count(*where, join=True):
        query = select(func.count(Step.id)).where(
            Step.service_id == bindparam("service"), Step.status == StepStatus.WAITING,
            *where)
        if join:
            query = query.join(Visit, Step.visit_id == Visit.id)
        return query.scalar_subquery()

    if klass == 0:
        parts = [count(due, or_(Visit.appointment_at < appointment_at,
                                and_(Visit.appointment_at == appointment_at, earlier)))]
    elif klass == 1:
        parts = [count(due), count(earlier, Visit.priority.is_not(None), ~due)]
    else:
        parts = [count(earlier, join=False),
                 count(later, or_(Visit.priority.is_not(None), due))]
    return select(*parts)


def waiting_heads(services, now, policy, skip=()):
    """domain.ordering.heads, found by the database: per service the first due appointment,
    the first priority and the first other visitor, each one "first row" read of an index."""
    base = (select(Step.id, Step.queued_at, Step.service_id, Visit.priority,
                   Visit.appointment_at)
            .join(Visit, Step.visit_id == Visit.id)
            .where(Step.status == StepStatus.WAITING))
    if skip:
        base = base.where(Step.id.not_in(list(skip)))
    fifo = (Step.queued_at, Step.id)
    parts = []
    for service in services:
        mine = base.where(Step.service_id == service.id)
        parts += [mine.where(_due(now, policy)).order_by(Visit.appointment_at, *fifo),
                  mine.where(Visit.priority.is_not(None)).order_by(*fifo),
                  mine.where(Visit.priority.is_(None)).order_by(*fifo)]
    if not parts:
        return []
    # SQLite takes no LIMIT inside a compound select: each part is its own subquery.
    query = union_all(*[select(p.limit(1).subquery()) for p in parts])
    rows = db.session.execute(query).all()
    codes = {s.id: s.code for s in services}
    found = {r.id: Candidate(step_id=r.id, service=codes[r.service_id], queued_at=r.queued_at,
                             priority=r.priority is not None, appointment_at=r.appointment_at)
             for r in rows}
    return list(found.values())


def ticket_view(visit, now, positions=None, stats=None, lang=None):
    """The contract's ticket fields (plus a few more) for one visit; step names in `lang`
    (default: the ticket's own language).

    `positions` ({step_id: position}) comes from a batch (queue_views); a step missing
    from it (queued after the batch read its queue) is counted afresh.
    """
    step = current_step(visit)
    position = estimate = None
    if step is not None and step.status == StepStatus.WAITING:
        position = (positions or {}).get(step.id)
        if position is None:
            position = waiting_position(step, visit, now, call_policy([step.service]))
        stats = stats or ServiceStats([step.service_id], now)
        estimate = stats.estimate(step.service, position)
    active = step is not None and step.status in HELD
    return {
        "id": visit.public_id,
        "number": visit.number,
        "status": visit.status,
        "services": [s.service.code for s in visit.steps],
        "steps": [_step_view(s, lang or visit.lang) for s in visit.steps],
        "current_service": step.service.code if step is not None and not _ended(visit) else None,
        "position": position,
        "estimated_wait_minutes": estimate,
        "desk": step.desk.code if active and step.desk else None,
        "desk_name": step.desk.name if active and step.desk else None,
        "lang": visit.lang,
        "priority": visit.priority is not None,
        "source": visit.source,
        "call_reason": step.call_reason if active else None,
        "created_at": visit.created_at.isoformat(),
        "track_url": track_url(visit.public_id),
    }


def _ended(visit):
    return visit.status in ENDED_VISIT


def _load_visits(public_ids):
    # One statement, joined: after every call and finish this runs in the clerk's request,
    # and each of selectinload's three more round trips was a wait behind the whole
    # process (a kiosk's ticket waited behind them in turn).
    return db.session.scalars(
        select(Visit).where(Visit.public_id.in_(public_ids))
        .options(joinedload(Visit.steps).joinedload(Step.service),
                 joinedload(Visit.steps).joinedload(Step.desk))
    ).unique().all()


def get_visit(public_id):
    visits = _load_visits([public_id])
    return visits[0] if visits else None


def queue_views(service_ids, now, only=None):
    """Fresh views of every visitor waiting for these services (or of those among them
    whose public id is in `only`), in one pass: plain rows rather than ORM objects,
    because after a call this runs over the whole queue."""
    service_ids = list(service_ids)
    if not service_ids or only is not None and not only:
        return []
    services = {s.id: s for s in db.session.scalars(select(Service))}
    waiting = (Step.status == StepStatus.WAITING) & Step.service_id.in_(service_ids)
    rows = db.session.execute(
        select(Step.id.label("step_id"), Step.queued_at, Step.service_id,
               *[getattr(Visit, c) for c in _VISIT_FIELDS])
        .join(Visit, Step.visit_id == Visit.id).where(waiting)).all()
    if not rows:
        return []
    queue = [Candidate(step_id=r.step_id, service=services[r.service_id].code,
                       queued_at=r.queued_at, priority=r.priority is not None,
                       appointment_at=r.appointment_at) for r in rows]
    positions = queue_positions(queue, now, call_policy(services.values()))
    visits = {r.id: SimpleNamespace(**{c: getattr(r, c) for c in _VISIT_FIELDS}, steps=[])
              for r in rows if only is None or r.public_id in only}
    if not visits:
        return []
    of_visits = (select(Step.visit_id).where(waiting) if only is None
                 else list(visits))
    steps = db.session.execute(
        select(*[getattr(Step, c) for c in _STEP_FIELDS])
        .where(Step.visit_id.in_(of_visits))
        .order_by(Step.visit_id, Step.position)).all()
    for r in steps:
        visits[r.visit_id].steps.append(SimpleNamespace(
            **{c: getattr(r, c) for c in _STEP_FIELDS}, service=services[r.service_id],
            desk=None))
    stats = ServiceStats(service_ids, now)
    return [ticket_view(v, now, positions=positions, stats=stats) for v in visits.values()]


# What ticket_view reads of a waiting visit and its steps (its current step has no desk).
_VISIT_FIELDS = ("id", "public_id", "number", "status", "lang", "priority", "source",
                 "created_at", "appointment_at", "current_position")
_STEP_FIELDS = ("id", "visit_id", "position", "service_id", "status", "queued_at",
                "call_reason")


def waiting_counts():
    """Visitors waiting per active service, zeros included, in catalogue order."""
    rows = db.session.execute(
        select(Service.code, func.count(Step.id))
        .outerjoin(Step, (Step.service_id == Service.id) & (Step.status == StepStatus.WAITING))
        .where(Service.active.is_(True))
        .group_by(Service.code, Service.sort_order, Service.id)
        .order_by(Service.sort_order, Service.id)
    ).all()
    return {code: n for code, n in rows}


def call_payload(step, recall=False):
    """What a board shows and says: no name, no personal data, ever."""
    return {
        "number": step.visit.number,
        # How a board reads it out ("A 17"), so speech needs no parsing in the browser.
        "spoken": spoken_number(step.visit.number),
        "desk": step.desk.code,
        "desk_name": step.desk.name,
        "service": step.service.code,
        "called_at": step.called_at.isoformat(),
        "recall": recall,
        "lang": step.visit.lang,
    }


def recent_calls(zone_code, since, limit=10):
    """The zone's latest calls, newest first, each number once: a visitor called for a
    second errand is listed at their latest desk only."""
    steps = db.session.scalars(
        select(Step).join(Desk, Step.desk_id == Desk.id).join(Zone, Desk.zone_id == Zone.id)
        .where(Zone.code == zone_code, Step.called_at >= since)
        .order_by(Step.called_at.desc(), Step.id.desc()).limit(limit * 3)
        .options(selectinload(Step.visit), selectinload(Step.service), selectinload(Step.desk))
    ).all()
    result, seen = [], set()
    for step in steps:
        if step.visit.number in seen:
            continue
        seen.add(step.visit.number)
        payload = call_payload(step)
        payload.pop("recall")
        result.append(payload)
    return result[:limit]


def zone_services(zone_code, now, history_days=28):
    """Codes of the services served in this zone: at its open desks now, or lately."""
    zone_desks = select(Desk.id).join(Zone, Desk.zone_id == Zone.id).where(
        Zone.code == zone_code)
    open_now = db.session.scalars(
        select(Service.code).join(desk_session_services,
                                  desk_session_services.c.service_id == Service.id)
        .join(DeskSession, DeskSession.id == desk_session_services.c.desk_session_id)
        .where(DeskSession.ended_at.is_(None), DeskSession.desk_id.in_(zone_desks)))
    lately = db.session.scalars(
        select(Service.code).join(Step, Step.service_id == Service.id)
        .where(Step.desk_id.in_(zone_desks),
               Step.called_at >= now - timedelta(days=history_days)))
    return sorted(set(open_now) | set(lately))


def display_state(zone_code, now, tz):
    local_midnight = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return {"called": recent_calls(zone_code, local_midnight), "waiting": waiting_counts(),
            "services": zone_services(zone_code, now)}


def zone_exists(zone_code):
    return db.session.scalar(select(Zone.id).where(Zone.code == zone_code)) is not None
