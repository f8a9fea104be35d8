"""Bearer-token authentication and role checks for the API."""
from functools import wraps

from flask import g, request, session

from ..clock import now
from ..domain.errors import Forbidden
from ..domain.lifecycle import DESK_ROLES, StaffRole
from ..domain.errors import Unauthorized
from ..services.auth import authenticate
from ..web.session_auth import STAFF_SESSION

STAFF = tuple(StaffRole)
DESK_STAFF = tuple(DESK_ROLES)


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_principal(session_ok=False):
    if "principal" not in g:
        principal = authenticate(bearer_token(), now())
        # A signed-in supervisor's browser may read (never change) through its session:
        # GET only, and the cookie is SameSite=Lax, so another site cannot use it.
        if principal is None and session_ok and request.method in ("GET", "HEAD"):
            principal = authenticate(session.get(STAFF_SESSION), now(), for_pages=True)
        g.principal = principal
    return g.principal


def require(roles=(), devices=(), session_ok=False):
    """Allow staff in `roles` and devices of the kinds in `devices`; 401 without valid
    credentials, 403 with the wrong ones. `session_ok`: a page session counts too on
    reads."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal(session_ok)
            if principal is None:
                raise Unauthorized("A valid bearer token is needed.")
            staff, device = principal.staff, principal.device
            if staff is not None and staff.role in roles:
                return view(*args, **kwargs)
            if device is not None and device.kind in devices:
                return view(*args, **kwargs)
            raise Forbidden("Your role may not do this.", code="role_forbidden")
        return wrapper
    return decorator
