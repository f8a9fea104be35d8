"""Absolute links for things sent away from the page (tickets, mails, calendar files)."""
from flask import current_app, has_request_context, request


def public_url(path):
    """PUBLIC_URL + path; inside a request without PUBLIC_URL, the request's own host.
    A mail sent by the scheduler has no request: set PUBLIC_URL in production."""
    base = current_app.config.get("PUBLIC_URL") or (
        request.host_url.rstrip("/") if has_request_context() else "http://127.0.0.1:5000")
    return f"{base.rstrip('/')}{path}"
