"""One console line per request: method, path, status, milliseconds (REQUEST_LOG=0: none).

Secrets that live in paths (manage links, appointment tokens, ticket ids, which let anyone
follow or leave a ticket) are masked: a log is read by more people than a database."""
import logging
import re
import sys
import time

from flask import g, request

log = logging.getLogger("queue_app.requests")
SECRET_IN_PATH = re.compile(r"^(/manage/|/t/|/api/v1/appointments/|/api/v1/tickets/)[^/]+")


def masked(path):
    return SECRET_IN_PATH.sub(r"\1…", path)


def _start():
    g.request_started = time.perf_counter()


def _line(response):
    started = g.pop("request_started", None)
    if started is not None:
        ms = (time.perf_counter() - started) * 1000
        log.info("%s %s %s %.1f ms", request.method, masked(request.path), response.status_code,
                 ms)
    return response


def init_app(app):
    if not app.config.get("REQUEST_LOG", True):
        return
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app.before_request(_start)
    app.after_request(_line)
