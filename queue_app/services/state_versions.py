"""Counters every process reads, once per request, to know which of its own caches are
stale: the token cache (AUTH: a token, user or device lost or changed its rights) and the
admin's stored settings (SETTINGS). One small read serves them all, where each cache once
made its own round trip per request."""
from flask import has_request_context, request
from sqlalchemy import select

from ..database import increment
from ..extensions import db
from ..models import StateVersion

AUTH = "auth"
SETTINGS = "settings"


_KEY = "anlaufstelle.state_versions"


def _read():
    return dict(db.session.execute(select(StateVersion.name, StateVersion.version)).all())


def current(name):
    """The counter's value as this request first read it (None: never raised). Kept with
    the request, not the app context: a test or a job may hold one app context across
    many requests."""
    if not has_request_context():
        return _read().get(name)
    if _KEY not in request.environ:
        request.environ[_KEY] = _read()
    return request.environ[_KEY].get(name)


def raise_version(name):
    """Inside the write transaction that makes the caches stale: every process drops what
    it holds on its next request."""
    db.session.execute(increment(StateVersion, {"name": name}, "version"))
    if has_request_context():
        request.environ.pop(_KEY, None)
