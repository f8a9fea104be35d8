"""A booking release is busy: the resident's booking is refused for a moment with a short
page in German (axe-core checks it), and the page sends the same booking again by itself
after Retry-After (retry.js, allowed by the Content Security Policy) — what was typed is
not lost, and the resident ends up booked."""
import threading
from urllib.parse import urlencode

import requests
from sqlalchemy import create_engine, text

from config.settings import normalise_database_url

from tests.browser.conftest import axe_violations
from tests.helpers import morning_slot
from tests.live import DatabaseHeld


def test_a_refused_booking_page_retries_by_itself_and_books(
        browser, start_server, artifacts, tmp_path):
    database = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    live = start_server(database, RESIDENT_REQUESTS_AT_ONCE="1", RESIDENT_WAIT_SECONDS="0.2",
                        SQLITE_BUSY_TIMEOUT_MS="60000", RATELIMIT_BOOKING="1000 per minute")
    slot = morning_slot(requests.get(f"{live.url}/api/v1/slots?services=anmeldung",
                                     timeout=10).json()["slots"])
    page = browser.new_context().new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(f"{live.url}/book/details?" + urlencode(
        {"lang": "de", "service": "anmeldung", "start": slot["start"]}))
    page.get_by_label("Ihr Name").fill("Jana Novak")
    page.get_by_label("E-Mail-Adresse").fill("jana@example.org")
    page.get_by_label("Ich stimme zu.").check()

    held = DatabaseHeld(database)
    first = {}
    holder = threading.Thread(target=lambda: first.setdefault("answer", requests.post(
        f"{live.url}/api/v1/appointments", timeout=60, json={
            "services": ["anmeldung"], "start": slot["start"], "name": "Erste",
            "email": "erste@example.org", "lang": "de", "consent": True})))
    try:
        holder.start()
        page.wait_for_timeout(1000)          # the first booking holds the only place
        page.get_by_role("button", name="Diesen Termin buchen").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Gerade sehr viel los"
        artifacts(page, "busy-de")
        assert axe_violations(page) == []
    finally:
        held.release()
    holder.join(60)
    assert first["answer"].status_code == 201
    # No click: retry.js sends the form again once Retry-After (1–10 s) has passed.
    page.wait_for_url("**/manage/**", timeout=20_000)
    assert "new=1" in page.url and "Ihr Termin" in page.locator("h1").inner_text()
    engine = create_engine(normalise_database_url(database))
    with engine.connect() as conn:
        booked = sorted(conn.execute(text("SELECT email FROM appointments")).scalars())
    engine.dispose()
    assert booked == ["erste@example.org", "jana@example.org"]     # each once
    artifacts(page, "booked-after-retry-de")
    assert blocked == []
