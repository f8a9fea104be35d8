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

Why 429 and not 503: nothing is broken; the request is declined for now, as a rate limit
declines it, and a client must simply come back later. A 5xx would count the rush as a
server fault in monitoring, and a proxy's outlier detection would take a healthy server
out of rotation in the very minute it is needed.
"""
import functools
import math
import random
import threading
import time
from collections import deque

from flask import current_app, g, request
from werkzeug.exceptions import TooManyRequests

# Refused residents are asked to come back within this many seconds at the longest.
RETRY_AFTER_MAX = 30
# How quickly the estimates follow the present: weight of the newest request, and the
# time over which refusals are counted.
_SERVICE_WEIGHT = 0.2
_REFUSALS_WINDOW = 1.0
_FIRST_ESTIMATE = 0.05


class Busy(TooManyRequests):
    """Too many residents at once: answered 429 `busy` with Retry-After, nothing changed."""
    description = ("Many residents are booking at this moment; nothing was changed. "
                   "Please try again after the seconds Retry-After names.")


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
        self._refusals = 0.0                 # refusals over about the last second
        self._refused_at = time.monotonic()

    def _line_is_full(self):
        """Anyone beyond this place would not be let in within the wait: tell them now,
        rather than keep them (and a greenlet) waiting for a refusal."""
        served_in_wait = self.limit * self.wait_seconds / max(self._service, 1e-3)
        return len(self._line) >= max(self.limit, served_in_wait)

    def enter(self):
        """True: the caller holds a place and must `leave`. False: refused."""
        with self._lock:
            if self._free and not self._line:
                self._free -= 1
                return True
            if self.wait_seconds <= 0 or self._line_is_full():
                self._count_refusal()
                return False
            turn = threading.Event()
            self._line.append(turn)
        if turn.wait(self.wait_seconds):
            return True
        with self._lock:
            if turn.is_set():            # handed a place just as the wait ran out
                return True
            self._line.remove(turn)
            self._count_refusal()
            return False

    def leave(self, held_seconds):
        with self._lock:
            self._service += _SERVICE_WEIGHT * (held_seconds - self._service)
            if self._line:
                # Handed straight to the first in line: a newcomer cannot jump ahead.
                self._line.popleft().set()
            else:
                self._free += 1

    def _count_refusal(self):
        moment = time.monotonic()
        self._refusals = self._refusals * math.exp(
            -(moment - self._refused_at) / _REFUSALS_WINDOW) + 1
        self._refused_at = moment

    def retry_after(self):
        """Whole seconds (as Retry-After wants them), spread at random over the time this
        process needs to serve the residents refused in the last second: told all alike,
        they would all come back in the same second and be a rush again."""
        with self._lock:
            per_second = self.limit / max(self._service, 1e-3)
            spread = math.ceil(self._refusals / per_second)
        return random.randint(1, min(RETRY_AFTER_MAX, max(1, spread)))


def resident(view):
    """A resident's request: admitted through the process's gate, or refused with Busy."""
    @functools.wraps(view)
    def admitted(*args, **kwargs):
        gate = current_app.extensions.get("admission")
        if gate is None or g.get("admitted"):
            # No gate (RESIDENT_REQUESTS_AT_ONCE=0), or a page view calling another one
            # within the same request: it holds its place already.
            return view(*args, **kwargs)
        # The body is read before a place is taken: a client sending slowly must not
        # hold one of the few places while it trickles (the body is at most 64 KiB).
        request.get_data(cache=True, parse_form_data=True)
        if not gate.enter():
            raise Busy(retry_after=gate.retry_after())
        g.admitted = True
        began = time.perf_counter()
        try:
            return view(*args, **kwargs)
        finally:
            g.admitted = False
            gate.leave(time.perf_counter() - began)
    return admitted


def init_app(app):
    limit = app.config["RESIDENT_REQUESTS_AT_ONCE"]
    if limit > 0:
        app.extensions["admission"] = Gate(limit, app.config["RESIDENT_WAIT_SECONDS"])
