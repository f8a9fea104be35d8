from flask import current_app, jsonify, request

from ..domain.errors import BadRequest
from ..services import catalog
from . import bp
from .auth import STAFF, require


@bp.get("/health")
def health():
    """Liveness, and the trivial endpoint the benchmarks compare against."""
    return jsonify({"status": "ok"})


@bp.get("/services")
def services():
    lang = request.args.get("lang", "de")
    if lang not in current_app.config["LANGUAGES"]:
        raise BadRequest(f"Unsupported language {lang!r}; use one of "
                         f"{', '.join(current_app.config['LANGUAGES'])}.",
                         code="unsupported_language", status=422)
    return jsonify(catalog.list_services(lang))


@bp.get("/desks")
@require(roles=STAFF)
def desks():
    return jsonify(catalog.list_desks())
