"""Every API failure is `{"error": {"code", "message"}}` with a 4xx (or, for our own bugs,
a 500) — never an HTML page."""
from flask import jsonify, request
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from ..domain.errors import DomainError


def error_response(status, code, message, **details):
    body = {"error": {"code": code, "message": message, **details}}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _domain(exc):
    return error_response(exc.status, exc.code, exc.message, **exc.details)


def _validation(exc):
    problems = [{"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]}
                for e in exc.errors(include_url=False, include_context=False,
                                    include_input=False)]
    # `field`/`fields` as a rule's errors have them, so a client reads every 422 alike.
    fields = [{"field": p["field"], "code": "invalid_input", "message": p["problem"]}
              for p in problems]
    return error_response(422, "validation_error", "The request does not have the expected "
                          "fields or types.", problems=problems,
                          **({"field": fields[0]["field"], "fields": fields} if fields else {}))


def _http(exc):
    code = (exc.name or "error").lower().replace(" ", "_")
    response = error_response(exc.code or 500, code, exc.description or exc.name)
    # Allow (405), Retry-After (429, 503) and the like go with the JSON too.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def database_unavailable(exc):
    response = error_response(503, "database_busy", "The database is busy or unreachable; "
                              "nothing was changed. Please try again.")
    response.headers["Retry-After"] = "2"
    return response


def _unexpected(exc):
    if isinstance(exc, HTTPException):
        return _http(exc)
    return error_response(500, "internal_error", "Something went wrong on our side.")


def register_error_handlers(bp):
    bp.register_error_handler(DomainError, _domain)
    bp.register_error_handler(ValidationError, _validation)
    bp.register_error_handler(HTTPException, _http)
    bp.register_error_handler(OperationalError, database_unavailable)
    bp.register_error_handler(PoolTimeout, database_unavailable)


def api_404_and_405(app):
    """Unknown paths and methods under /api get JSON too (blueprint handlers never see
    routing errors)."""
    def handler(exc):
        if request.path.startswith("/api/"):
            return _http(exc)
        return exc
    for status in (404, 405, 413, 414):
        app.register_error_handler(status, handler)

    @app.before_request
    def refuse_long_urls():
        if len(request.full_path) > app.config["MAX_URL_LENGTH"]:
            raise RequestURITooLarge(f"Addresses longer than {app.config['MAX_URL_LENGTH']} "
                                     f"characters are refused.")

    @app.errorhandler(500)
    def internal(exc):
        if request.path.startswith("/api/"):
            return _unexpected(getattr(exc, "original_exception", exc))
        return exc
