"""The JSON API (v1): parse, call one service, render."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app):
    from . import auth_routes, catalog_routes, desk_routes, openapi, ticket_routes  # noqa: F401
    from .errors import register
    register(bp)
    app.register_blueprint(bp)
