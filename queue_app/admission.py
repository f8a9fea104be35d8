"""Admission control for residents' traffic: booking, slot search, waiting list and
reschedule, through the API and the pages alike (the views wear `@admission.resident`).

At a booking release a thousand residents' requests arrive in the same second. On one
event loop every request in flight takes turns with every other, so each of them, and
the kiosk's ticket beside them, waited behind all the others (bench/release_rush.py: a
kiosk ticket 79 ms quiet, 2 s in the rush). So per process at most
RESIDENT_REQUESTS_AT_ONCE residents' requests run; the next few wait in line (first come,
first served) for at most RESIDENT_WAIT_SECONDS; the rest hear at once 429 with
Retry-After and the error code `busy` (a short page with a retry on the pages), and
nothing was changed for them. Kiosks, desks, boards, health and staff never pass this
gate, so they never wait in its line: they share the process with the few residents let
in, not with the crowd.

And the building's own requests come first among those (`building_first`, `give_way`):
while a kiosk's, desk's or board's request is in flight, the residents let in stand aside
at their next step (at most GIVE_WAY_SECONDS a request), take a turn of the hub before each
statement (an SQLite query never yields), hand SQLite's write lock on, and pass a door a
few at a time, so a kiosk's ticket waits for a piece of one resident's work, not for all
of theirs nor for a release's hundreds of arrivals (bench/release_rush.py).

Why 429 and not 503: nothing is broken; the request is declined for now, as a rate limit
declines it, and a client must simply come back later. A 5xx would count the rush as a
server fault in monitoring, and a proxy's outlier detection would take a healthy server
out of rotation in the very minute it is needed.
"""
import math
import threading
import time
from collections import deque

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from werkzeug.exceptions import HTTPException, TooManyRequests
from werkzeug.routing import RoutingException

from . import db_timeouts
from .async_mode import pass_turn
from .database import in_write_transaction, taking_write_lock, turn_taking

# Refused residents are asked to come back within this many seconds at the longest: a
# person waits that long for a page, and a crowd spread over it returns as a trickle.
RETRY_AFTER_MAX = 10
# How quickly the estimates follow the present: weight of the newest request, and the
# time over which turn-overs are counted.
_SERVICE_WEIGHT = 0.2
_RATE_WINDOW = 1.0
_FIRST_ESTIMATE = 0.05
# The longest a resident's request, once let in, stands aside for the building's in all:
# the building comes first, but a resident is delayed, never starved (a booking's p99
# stays below a second with it, bench/release_rush.py).
GIVE_WAY_SECONDS = 0.1
# Requests that are neither the building's work nor residents': they never wait for, nor
# make anyone wait for, anything here.
_NEITHER = ("static", "health")
DOOR_AT_ONCE = 4
_TRAFFIC = "anlaufstelle.traffic"
_IN_PERSON = "anlaufstelle.in_person"
_GIVE_WAY_LEFT = "anlaufstelle.give_way_left"


class Busy(TooManyRequests):
    """Too many residents at once: answered 429 `busy` with Retry-After, nothing changed."""
    description = ("Many residents are booking at this moment; nothing was changed. "
                   "Please try again after the seconds Retry-After names.")


class _Rate:
    """Events over about the last second (exponentially forgotten), no list kept."""

    def __init__(self):
        self._value, self._at = 0.0, time.monotonic()

    def value(self):
        return self._value * math.exp(-(time.monotonic() - self._at) / _RATE_WINDOW)

    def count(self):
        self._value, self._at = self.value() + 1, time.monotonic()


class _Turn(threading.Event):
    """A place in the line; `given_at` is when the place was handed over."""
    given_at = None


class Gate:
    """At most `limit` holders at once, a short first-come-first-served line behind them.

    Safe between green threads and OS threads alike: it is built after the async library
    is patched in (create_app), so its locks and events are green under eventlet."""

    def __init__(self, limit, wait_seconds):
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._lock = threading.Lock()
        self._free = limit
        self._line = deque()
        self._service = _FIRST_ESTIMATE      # seconds a holder holds, on average
        self._served = _Rate()               # places given back over about the last second
        self._returns = 0.0                  # when the last one refused was told to return

    def _per_second(self):
        """Places this process turns over per second: what the places' holding time
        promises, or what the last second showed, whichever is more."""
        return max(self.limit / max(self._service, 1e-3), self._served.value())

    def _line_is_full(self):
        """Anyone beyond this place would not be let in within the wait: tell them now,
        rather than keep them (and a greenlet) waiting for a refusal."""
        return len(self._line) >= max(self.limit, self._per_second() * self.wait_seconds)

    def enter(self):
        """The moment a place was given to the caller, who must then `leave`; None:
        refused."""
        with self._lock:
            if self._free and not self._line:
                self._free -= 1
                return time.monotonic()
            if self.wait_seconds <= 0 or self._line_is_full():
                return None
            turn = _Turn()
            self._line.append(turn)
        if turn.wait(self.wait_seconds):
            return turn.given_at
        with self._lock:
            if turn.is_set():            # handed a place just as the wait ran out
                return turn.given_at
            self._line.remove(turn)
            return None

    def leave(self, given_at):
        """Frees the place given at `given_at`. The time it was held counts from then, not
        from when its holder woke: on a busy event loop a woken waiter starts only after
        every request ready before it, and that is as much part of the place's turn-over
        (and of the wait estimate) as the request's own work."""
        with self._lock:
            moment = time.monotonic()
            self._service += _SERVICE_WEIGHT * ((moment - given_at) - self._service)
            self._served.count()
            if self._line:
                # Handed straight to the first in line: a newcomer cannot jump ahead.
                turn = self._line.popleft()
                turn.given_at = moment
                turn.set()
            else:
                self._free += 1

    def in_use(self):
        """Whether any resident holds a place or waits for one."""
        with self._lock:
            return self._free < self.limit or bool(self._line)

    def retry_after(self):
        """Whole seconds (as Retry-After wants them). The refused are given returns one
        after another at the rate this process turns its places over, like numbers at a
        counter: told all alike, they would come back in the same second and be a rush
        again (and each refusal costs the event loop a turn that the admitted need)."""
        with self._lock:
            moment = time.monotonic()
            self._returns = min(max(self._returns, moment) + 1 / self._per_second(),
                                moment + RETRY_AFTER_MAX)
            seconds = math.ceil(self._returns - moment)
        return min(RETRY_AFTER_MAX, max(1, seconds))


class Building:
    """The building's own requests in flight in this process: kiosks' tickets, desks' calls,
    boards. While one is, the residents let in stand aside at their next step (`give_way`),
    so a kiosk shares the process with the rush's crowd no more than with a quiet day."""

    def __init__(self):
        self._lock = threading.Lock()
        self._in_flight = 0
        self._idle = threading.Event()
        self._idle.set()
        self.door = threading.Semaphore(DOOR_AT_ONCE)

    def arrived(self):
        with self._lock:
            self._in_flight += 1
            self._idle.clear()

    def done(self):
        with self._lock:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    def busy(self):
        return not self._idle.is_set()

    def wait_idle(self, seconds):
        self._idle.wait(seconds)


def _traffic(app, environ):
    """"resident", "building" or None (static files, health, Socket.IO, unknown paths),
    found by the route as Flask will find it, before Flask does any work."""
    try:
        endpoint, _ = app.url_map.bind_to_environ(environ).match()
    except (HTTPException, RoutingException):
        return None
    if endpoint.rsplit(".", 1)[-1] in _NEITHER:
        return None
    view = app.view_functions.get(endpoint)
    if getattr(view, "resident_traffic", False):
        return "resident"
    environ[_IN_PERSON] = getattr(view, "in_person", False)
    return "building"


def building_first(app, wsgi_app, take_turns):
    """The server's outermost layer, around `take_turns(wsgi_app)`.

    A building's request counts as in flight from its first moment, so the residents
    stand aside while it waits for its first turn of the hub too. A resident's request,
    after its turn, passes a door one at a time, each with one more turn of the hub: at a
    release 500 of them arrive in the same instant, and let through together the hub ran
    all 500 (each ~1 ms to be let in, queued or refused) before it looked at any socket
    again, so a kiosk's ticket waited 0.4 s behind them (bench/release_rush.py).

    A request someone stands waiting for (`in_person`) skips its first turn while residents
    are let in: that turn was one more pass behind all of them. Without residents it
    takes its turn like any other, so 32 kiosks on kept-alive connections are served in
    turn (`async_mode.take_turns`)."""
    building, gate = app.extensions.get("building"), app.extensions.get("admission")
    if building is None:
        return take_turns(wsgi_app)

    def resident_through_door(environ, start_response):
        if environ.get(_TRAFFIC) == "resident":
            with building.door:
                pass_turn()
        return wsgi_app(environ, start_response)

    in_turn = take_turns(resident_through_door)

    def counted(environ, start_response):
        environ[_TRAFFIC] = traffic = _traffic(app, environ)
        if traffic != "building":
            return in_turn(environ, start_response)
        building.arrived()
        try:
            if environ[_IN_PERSON] and gate.in_use():
                return wsgi_app(environ, start_response)
            return in_turn(environ, start_response)
        finally:
            building.done()
    return counted


def _stand_aside(building, environ):
    """While a building's request is in flight, wait for it, up to GIVE_WAY_SECONDS over
    the resident's whole request; after each wait one more turn of the hub, so a kiosk
    that came meanwhile is seen before the resident goes on."""
    left = environ.setdefault(_GIVE_WAY_LEFT, GIVE_WAY_SECONDS)
    while left > 0 and building.busy():
        began = time.monotonic()
        building.wait_idle(left)
        pass_turn()
        left -= time.monotonic() - began
    environ[_GIVE_WAY_LEFT] = left


def building_goes_first():
    """Whether this is a resident's request let in that should now stand aside: a
    building's request is in flight and the resident has time left to give."""
    return (has_request_context() and g.get("admission_given_at") is not None
            and request.environ.get(_GIVE_WAY_LEFT, GIVE_WAY_SECONDS) > 0
            and current_app.extensions["building"].busy())


def give_way():
    """A resident's request's step between two pieces of work (before each statement, on
    being let in, around SQLite's write lock, between a mail's parts): first a turn of the
    hub for every other request that is ready, so a kiosk that has just arrived is read at
    all (an SQLite query does not wait for anything, and a request of a dozen of them held
    the event loop to its end); then it stands aside while a building's request is in
    flight. Nothing is held meanwhile that the building needs: it passes while it holds or
    takes the write lock (a write transaction runs to its commit)."""
    if not has_request_context() or g.get("admission_given_at") is None:
        return          # not a resident let in by the gate
    if in_write_transaction() or taking_write_lock():
        return          # it holds or takes the write lock (SQLite) or row locks: it goes on
    pass_turn()
    _stand_aside(current_app.extensions["building"], request.environ)


def _between_statements(_conn, _cursor, _statement, _params, _context, _executemany):
    give_way()


def resident(view):
    """Marks a view as residents' traffic: its requests pass the process's gate."""
    view.resident_traffic = True
    return view


def in_person(view):
    """Marks a view that someone in the building stands waiting for: a visitor at a kiosk
    (a ticket, a check-in), a clerk calling the next visitor. Its PostgreSQL statements
    wait for their answers with the hub held (`db_timeouts.wait_callback`). Only
    these, and only while residents are let in (`_someone_waiting`): held for every
    statement of the building's (a desk's finish, start, transfer, the boards' state too),
    the residents let in lost so much of the hub that a booking's p99 at a release doubled
    to 1.2 s (bench/release_rush.py)."""
    view.in_person = True
    return view


def _someone_waiting():
    """Only while residents are let in: without them, holding the hub would only keep the
    building's own requests from overlapping their waits (32 kiosks at once issued a third
    as many tickets, bench/scale_out.py)."""
    if not has_request_context() or not getattr(
            current_app.view_functions.get(request.endpoint), "in_person", False):
        return False
    gate = current_app.extensions.get("admission")
    return gate is not None and gate.in_use()


def _admit():
    """Runs before any other work of the request that could wait (the stored settings'
    query, a pooled connection, the view): a resident in line or refused holds nothing
    that a kiosk or a desk needs, and costs the process next to nothing."""
    gate = current_app.extensions.get("admission")
    view = current_app.view_functions.get(request.endpoint)
    if gate is None or not getattr(view, "resident_traffic", False):
        return
    # The body is read before a place is taken: a client sending slowly must not hold one
    # of the few places while it trickles (MAX_CONTENT_LENGTH bounds it).
    request.get_data(cache=True, parse_form_data=True)
    given_at = gate.enter()
    if given_at is None:
        raise Busy(retry_after=gate.retry_after())
    g.admission_given_at = given_at
    give_way()


def _leave(_exc):
    given_at = g.pop("admission_given_at", None)
    if given_at is not None:
        current_app.extensions["admission"].leave(given_at)


def init_app(app):
    """Call before the blueprints and other extensions add their before-request work, so
    the gate comes first of it (after the request log's start, CSRF and rate limits)."""
    from .extensions import db

    db_timeouts.first_in_line(_someone_waiting)
    turn_taking(give_way, building_goes_first)
    limit = app.config["RESIDENT_REQUESTS_AT_ONCE"]
    if limit > 0:
        app.extensions["admission"] = Gate(limit, app.config["RESIDENT_WAIT_SECONDS"])
        app.extensions["building"] = Building()
        app.before_request(_admit)
        app.teardown_request(_leave)
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", _between_statements)
