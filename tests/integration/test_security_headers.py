"""Security headers, cookies and the page session (issue 9, finding 9)."""
import re
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from tests.helpers import PASSWORD, csrf_token

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [p for folder in ("queue_app", "kiosk", "display")
             for p in (ROOT / folder).rglob("templates/**/*.html")]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
                    r"|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/book/", "/login", "/api/v1/services", "/display/",
                                  "/kiosk/", "/api/v1/nope"])
def test_every_response_carries_the_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script.strip() == "'self'"
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


def test_boards_may_be_framed_where_configured(app, client):
    app.config["BOARD_FRAME_ANCESTORS"] = "https://signage.example.de"
    csp = client.get("/display/").headers["Content-Security-Policy"]
    assert "frame-ancestors https://signage.example.de" in csp
    assert "frame-ancestors 'none'" in client.get("/book/").headers["Content-Security-Policy"]


def test_no_template_has_inline_script_style_or_handlers():
    found = {str(p.relative_to(ROOT)): INLINE.findall(p.read_text()) for p in TEMPLATES}
    assert {p: hits for p, hits in found.items() if hits} == {}
    assert len(TEMPLATES) > 20


def _login(client):
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf_token(page.text),
                                       "username": "mueller", "password": PASSWORD})


def _cookie(response):
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_session_cookie_is_lax_http_only_and_secure_when_set(app, client):
    cookie = _cookie(_login(client))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "; Secure" in _cookie(_login(app.test_client()))


def test_the_session_cookie_is_no_api_token(app, client):
    response = _login(client)
    assert response.status_code == 302
    raw = _cookie(response).split(";")[0].split("=", 1)[1]
    data = SecureCookieSessionInterface().get_signing_serializer(app).loads(raw)
    secrets = [v for v in data.values() if isinstance(v, str) and len(v) >= 32]
    assert secrets, data
    for secret in secrets:
        r = client.get("/api/v1/desks", headers={"Authorization": f"Bearer {secret}"})
        assert r.status_code == 401
    assert client.get("/desk/").status_code == 200       # the page session works
    page = client.get("/desk/")
    client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert client.get("/desk/").status_code == 302       # and ends on logout
