"""The JSON API (v1): parse, call one service, render."""
from flask import Blueprint

from .errors import register_error_handlers

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_error_handlers(bp)


def init_app(app):
    # Route modules decorate `bp`, so they are imported once it exists.
    from . import (admin_device_routes, admin_routes, auth_routes,  # noqa: F401
                   booking_routes, catalog_routes, desk_routes, openapi, report_routes,
                   ticket_routes)
    app.register_blueprint(bp)
