"""The waiting-room display board: its page and its Socket.IO namespace."""
from flask import Blueprint

bp = Blueprint("display", __name__, url_prefix="/display", template_folder="templates",
               static_folder="static", static_url_path="/static")


def init_app(app):
    from . import sockets, views  # noqa: F401  (decorate bp)
    sockets.register()
    app.register_blueprint(bp)
