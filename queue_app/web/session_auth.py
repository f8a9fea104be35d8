"""Who is using a page: staff through a signed session cookie holding the id of a
server-side page session (a row of the token table that the API does not accept as a
bearer token), kiosks and boards through a long-lived device cookie set once at setup.

Both live in the token table, so expiry and revocation work the same for pages and API.
"""
from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from ..clock import now
from ..services.auth import authenticate

STAFF_SESSION = "staff_session"
DEVICE_COOKIE = "anlaufstelle_device"
DEVICE_COOKIE_SECONDS = 5 * 365 * 24 * 3600


def current_staff():
    if "web_staff" not in g:
        principal = authenticate(session.get(STAFF_SESSION), now(), for_pages=True)
        g.web_staff = principal.staff if principal is not None else None
    return g.web_staff


def staff_required(*roles):
    """Send a visitor without a session to the login; a signed-in user of another role gets
    403."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            if staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def device_principal():
    if "web_device" not in g:
        g.web_device = authenticate(request.cookies.get(DEVICE_COOKIE), now())
    return g.web_device


def current_device(kind):
    principal = device_principal()
    if principal is None or principal.device is None or principal.device.kind != kind:
        return None
    return principal.device


def device_required(kind):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_device(kind) is None:
                return redirect(url_for("web.device_setup"))
            return view(*args, **kwargs)
        return wrapper
    return decorator


def remember_device(response, token):
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_SECONDS, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response
