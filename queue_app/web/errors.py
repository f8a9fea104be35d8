"""Failures a person can meet on any page, as a short page in their language: a request
the page cannot read (400), a page their account may not open (403), an address that does
not exist such as a mistyped link (404), a form larger than the server takes (413), too
many attempts (429), and a database that is
busy or away (503, for every page and for the API: never a 500, never a long hang), and
a booking rush that has this moment no room for them (429 `busy`, with a retry). JSON
answers go to the API and to the boards' `state.json`."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..admission import Busy
from ..api.errors import database_unavailable, error_response

RETRY_SECONDS = 2


def _wants_json():
    return request.path.startswith("/api/") or request.path.endswith(".json")


def _page(status, title, message, back=None):
    return render_template("resident_error.html", title=title, message=message,
                           back=back), status


def _json_http(exc):
    return error_response(exc.code, (exc.name or "error").lower().replace(" ", "_"),
                          exc.description or exc.name)


def _forbidden(exc):
    if _wants_json():
        return _json_http(exc)
    return _page(403, _("Not allowed"), _("Your account may not open this page."),
                 back=url_for("web.landing"))


def _not_found(exc):
    if _wants_json():
        return _json_http(exc)
    return _page(404, _("Page not found"),
                 _("This address does not exist (any more). Please check the link, or start "
                   "again from the home page."), back=url_for("web.landing"))


def _bad_request(exc):
    if _wants_json():
        return error_response(400, "bad_request", exc.description)
    return _page(400, _("This address is not valid"),
                 _("Please go back and choose again from the page."))


def _too_large(exc):
    if _wants_json():
        return error_response(413, "request_entity_too_large", exc.description)
    return _page(413, _("Too much at once"),
                 _("What you sent is larger than this page accepts; nothing was saved. "
                   "Please go back, shorten it and try again."))


def _too_many(exc):
    if _wants_json():
        return error_response(429, "too_many_requests", "Too many attempts; please wait "
                              "as Retry-After says and try again.")
    return _page(429, _("Please wait a moment"),
                 _("There were too many attempts in a short time. Please wait a moment and "
                   "try again."))


def _busy(exc):
    """The same request again, as a form the visitor (or retry.js, after Retry-After)
    sends: a refused booking changed nothing, so sending it again is safe, and the
    visitor's typing is not lost."""
    headers = {"Retry-After": str(exc.retry_after)}
    if _wants_json():
        response = error_response(429, "busy", exc.description)
        response.headers.update(headers)
        return response
    post = request.method == "POST"
    fields = (request.form if post else request.args).items(multi=True)
    body = render_template("resident_busy.html", method="post" if post else "get",
                           action=request.full_path.rstrip("?") if post else request.path,
                           fields=list(fields), retry_after=exc.retry_after)
    return body, 429, headers


def _database(exc):
    if _wants_json():
        return database_unavailable(exc)
    body, status = _page(503, _("Please try again"),
                         _("The service is busy for a moment. Please try again in a few "
                           "seconds."))
    return body, status, {"Retry-After": str(RETRY_SECONDS)}


def init_app(app):
    app.register_error_handler(400, _bad_request)
    # These replace the API's own 404 handler, so they answer the API in JSON as it did.
    app.register_error_handler(403, _forbidden)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(429, _too_many)
    app.register_error_handler(Busy, _busy)
    app.register_error_handler(OperationalError, _database)
    app.register_error_handler(PoolTimeout, _database)
