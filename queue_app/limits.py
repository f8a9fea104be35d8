"""Rate limits: one per use case, whichever door it comes in by (API or page), so a form
is no way round the API's limit. Each is a Flask-Limiter shared limit: the API route and
the page handler decorated with the same object count in one bucket per client.

Logins count only failures, by client and by account, in growing windows (a minute, an
hour, a day): a guesser waits longer and longer, while a clerk who mistyped waits a minute
at most and nobody is ever locked out for good.
"""
import hashlib
import logging
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address

from .extensions import limiter

log = logging.getLogger(__name__)
# Only a refusal that asks to wait carries Retry-After (Flask-Limiter adds it to all).
_WAIT_STATUSES = (429, 503)


def _setting(name):
    return lambda: current_app.config[name]


def _account():
    """The user name being tried, as the API (JSON) or the login form sends it."""
    try:
        body = request.get_json(silent=True, cache=True) if request.is_json else None
    except RecursionError:   # thousands of nested brackets: the view refuses them
        body = None
    name = body.get("username") if isinstance(body, dict) else request.form.get("username")
    return f"account:{str(name or '').strip().lower()[:80]}"


def _account_and_client():
    return f"{_account()}|{get_remote_address()}"


def _credential():
    """Kiosks share the building's address: count check-ins per device (its bearer token
    or device cookie), else per client."""
    from .web.session_auth import DEVICE_COOKIE
    header = request.headers.get("Authorization", "")
    secret = header.partition(" ")[2].strip() or request.cookies.get(DEVICE_COOKIE)
    if not secret:
        return get_remote_address()
    return "credential:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _failed(response):
    return response.status_code == 401


def _slow_down(_limit):
    """A guesser over the limit hears its 429 only after a pause: a sleeping greenlet
    costs the server nothing, and a script hammering back to back is slowed to a trickle
    instead of keeping the hub busy with refusals."""
    time.sleep(current_app.config["LOGIN_REFUSAL_DELAY_SECONDS"])


def _login_limit(setting, scope, key_func=None):
    return limiter.shared_limit(_setting(setting), scope=scope, key_func=key_func,
                                deduct_when=_failed, methods=["POST"], on_breach=_slow_down)


login_by_client = _login_limit("RATELIMIT_LOGIN_CLIENT", "login-client")
login_by_account = _login_limit("RATELIMIT_LOGIN_ACCOUNT", "login-account",
                                _account_and_client)
# Many clients guessing one account: a looser cap, and it ends with its window.
login_by_account_everywhere = _login_limit("RATELIMIT_LOGIN_ACCOUNT_ALL", "login-account-all",
                                           _account)
slot_search = limiter.shared_limit(_setting("RATELIMIT_SLOTS"), scope="slot-search")
booking = limiter.shared_limit(_setting("RATELIMIT_BOOKING"), scope="booking",
                               methods=["POST"])
reschedule = limiter.shared_limit(_setting("RATELIMIT_BOOKING"), scope="reschedule",
                                  methods=["POST"])
waitlist = limiter.shared_limit(_setting("RATELIMIT_BOOKING"), scope="waitlist",
                                methods=["POST"])
# A kiosk token could otherwise probe booking codes ("too early" vs "unknown").
check_in = limiter.shared_limit(_setting("RATELIMIT_CHECK_IN"), scope="check-in",
                                key_func=_credential, methods=["POST"])


def login(view):
    return login_by_client(login_by_account(login_by_account_everywhere(view)))


def _retry_after_only_when_waiting(response):
    if response.status_code not in _WAIT_STATUSES:
        response.headers.pop("Retry-After", None)
    return response


def init_app(app):
    # After-request functions run last-registered first: at the front of the list this
    # one runs after Flask-Limiter has added its headers.
    app.after_request_funcs.setdefault(None, []).insert(0, _retry_after_only_when_waiting)
