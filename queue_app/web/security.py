"""Security headers on every response, pages and API alike.

The rule for every template, now and later (admin, reports, kiosk, boards): NO INLINE
SCRIPT, no `on…=` handler attributes, no `style=` attributes, no `javascript:` links.
Scripts and styles come from files under /static (or a blueprint's static folder); data a
script needs goes in a `<script type="application/json">` block or `data-` attributes,
which the policy allows because they are never executed. tests/integration/
test_security_headers.py scans the templates for breaches.

Boards may be framed by an own signage page only when BOARD_FRAME_ANCESTORS names it.
"""
from flask import current_app, request

_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors {ancestors}")


def _frame_ancestors():
    allowed = current_app.config.get("BOARD_FRAME_ANCESTORS")
    if allowed and request.path.startswith("/display/"):
        return allowed
    return "'none'"


def _headers(response):
    ancestors = _frame_ancestors()
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _POLICY.format(ancestors=ancestors))
    if ancestors == "'none'":
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Manage links and ticket pages carry their secret in the path: never pass it on.
    headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def init_app(app):
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.after_request(_headers)
