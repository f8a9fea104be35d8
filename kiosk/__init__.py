"""The touch kiosk: language, errands, what to bring, priority, ticket (and check-in)."""
from flask import Blueprint


bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates",
               static_folder="static", static_url_path="/static")


def init_app(app):
    from . import views  # noqa: F401  (decorates bp)
    app.register_blueprint(bp)
