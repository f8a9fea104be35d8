"""Bearer-token authentication and role checks for the API."""
from functools import wraps

from flask import g, request

from ..clock import now
from ..domain.errors import Forbidden
from ..domain.lifecycle import DESK_ROLES, StaffRole
from ..domain.errors import Unauthorized
from ..services.auth import authenticate

STAFF = tuple(StaffRole)
DESK_STAFF = tuple(DESK_ROLES)


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_principal():
    if "principal" not in g:
        g.principal = authenticate(bearer_token(), now())
    return g.principal


def require(roles=(), devices=()):
    """Allow staff in `roles` and devices of the kinds in `devices`; 401 without valid
    credentials, 403 with the wrong ones."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
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
