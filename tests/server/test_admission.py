"""Residents' admission control on a real server (eventlet), with real concurrency: while
the gate's only place is held (a booking waiting for a database lock the test holds),
residents hear at once 429 `busy` with Retry-After and nothing changes for them, the pages
answer in the visitor's language with the same request ready to send again, and kiosks,
boards and desks pass. Residents who then honour Retry-After each get a booking or a
clean 409: exactly as many bookings as places, nobody twice."""
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import requests
from sqlalchemy import create_engine, text

from config.settings import normalise_database_url
from tests.helpers import morning_slot
from tests.live import DatabaseHeld, HttpApi

WAIT = 0.3
CROWD = 12
PLACES = 3          # the registration office books three in parallel in the morning


def _count(url, sql):
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        found = conn.execute(text(sql)).scalar()
    engine.dispose()
    return found


def _timed(call):
    began = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - began


def _booking(n, slot):
    return {"services": ["anmeldung"], "start": slot["start"], "name": f"Resident {n}",
            "email": f"resident{n}@example.org", "lang": "de", "consent": True}


def _until_final(url, body):
    """A real client: after 429 it waits as Retry-After says and asks again."""
    for _ in range(60):
        r = requests.post(f"{url}/api/v1/appointments", json=body, timeout=60)
        if r.status_code != 429:
            return r
        time.sleep(int(r.headers["Retry-After"]))
    raise AssertionError("never admitted")


def test_over_the_bound_residents_hear_busy_the_building_passes_nothing_is_lost(
        server_db, start_server, tmp_path):
    outbox = tmp_path / "outbox"
    live = start_server(server_db, MAIL_OUTBOX=str(outbox), RESIDENT_REQUESTS_AT_ONCE="1",
                        RESIDENT_WAIT_SECONDS=str(WAIT), RATELIMIT_BOOKING="10000 per minute",
                        RATELIMIT_SLOTS="10000 per minute", DB_STATEMENT_TIMEOUT_MS="60000",
                        DB_WAIT_SECONDS="60", SQLITE_BUSY_TIMEOUT_MS="60000")
    slot = morning_slot(requests.get(f"{live.url}/api/v1/slots?services=anmeldung",
                                     timeout=10).json()["slots"])
    page = requests.Session()
    form = page.get(f"{live.url}/book/details", params={"service": "anmeldung",
                                                        "start": slot["start"]}, timeout=10)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    clerk = HttpApi(live.url)
    clerk.auth("mueller")
    kiosk_token = clerk.auth("kiosk")

    held = DatabaseHeld(server_db)
    first = {}
    try:
        holder = threading.Thread(target=lambda: first.setdefault("answer", requests.post(
            f"{live.url}/api/v1/appointments", json=_booking("first", slot), timeout=60)))
        holder.start()
        deadline = time.monotonic() + 10
        time.sleep(1)
        while not held.waiting() and time.monotonic() < deadline:
            time.sleep(0.05)

        # The crowd and the building at the same moment.
        def resident(n):
            return _timed(lambda: requests.post(f"{live.url}/api/v1/appointments",
                                                json=_booking(n, slot), timeout=30))

        building = [
            lambda: requests.get(f"{live.url}/api/v1/health", timeout=30),
            lambda: requests.get(f"{live.url}/display/eg/state.json", timeout=30),
            lambda: requests.get(f"{live.url}/api/v1/services?lang=de", headers=kiosk_token,
                                 timeout=30),
            lambda: clerk.get("/desks", who="mueller"),
        ]
        if not server_db.startswith("sqlite"):
            # Tickets do not write appointments: on PostgreSQL the kiosk issues and the
            # clerk calls while the residents' gate is full.
            building += [
                lambda: requests.post(f"{live.url}/api/v1/tickets", headers=kiosk_token,
                                      json={"services": ["anmeldung"], "lang": "de"},
                                      timeout=30),
                lambda: clerk.post("/desks/platz-1/session", {"services": ["anmeldung"]},
                                   who="mueller")]
        with ThreadPoolExecutor(CROWD + len(building)) as pool:
            crowd = [pool.submit(resident, n) for n in range(CROWD)]
            staff = [pool.submit(_timed, call) for call in building]
            refused = [f.result() for f in crowd]
            passed = [f.result() for f in staff]

        for r, took in refused:
            assert r.status_code == 429, r.text
            assert r.json()["error"]["code"] == "busy"
            assert 1 <= int(r.headers["Retry-After"]) <= 10
            assert took < WAIT + 2
        for r, took in passed:
            assert r.status_code in (200, 201), (r.request.url, r.text)
            assert took < 2, (r.request.url, took)

        # The pages: a short page in the visitor's language, the request ready to resend.
        times = requests.get(f"{live.url}/book/times", params={"service": "anmeldung"},
                             headers={"Accept-Language": "de"}, timeout=30)
        assert times.status_code == 429 and 1 <= int(times.headers["Retry-After"]) <= 10
        assert "Gerade sehr viel los" in times.text and 'lang="de"' in times.text
        assert re.search(r'<form method="get" action="/book/times" data-retry-after="\d+">',
                         times.text)
        assert '<input type="hidden" name="service" value="anmeldung">' in times.text
        assert "js/retry.js" in times.text and "<script>" not in times.text
        turkish = requests.get(f"{live.url}/book/times",
                               params={"service": "anmeldung", "lang": "tr"}, timeout=30)
        assert turkish.status_code == 429
        assert "Şu anda çok yoğun" in turkish.text and 'lang="tr"' in turkish.text
        sent = {"csrf_token": csrf, "service": "anmeldung", "start": slot["start"],
                "name": "Ada <Lovelace>", "email": "ada@example.org", "consent": "yes"}
        details = page.post(f"{live.url}/book/details", data=sent,
                            headers={"Accept-Language": "en"}, timeout=30)
        assert details.status_code == 429, details.text
        assert "Very busy right now" in details.text and 'lang="en"' in details.text
        assert 'method="post" action="/book/details"' in details.text
        resend = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                 details.text))
        assert {k: unescape(v) for k, v in resend.items()} == sent
        assert "Ada &lt;Lovelace&gt;" in details.text
        assert _count(server_db, "SELECT count(*) FROM appointments") == 0
    finally:
        held.release()
    holder.join(60)
    assert first["answer"].status_code == 201, first["answer"].text

    # Nothing the refusals asked for happened: one booking, one confirmation queued.
    assert _count(server_db, "SELECT count(*) FROM appointments") == 1
    # (queued in the outbox table, then delivered after the response into the folder)
    deadline = time.monotonic() + 20
    while _count(server_db, "SELECT count(*) FROM outbound_mail") and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    mails = [m.read_text(errors="replace") for m in outbox.glob("*.eml")]
    assert len(mails) == 1 and "residentfirst@example.org" in mails[0]

    # The page's form sent again (as retry.js does) books, as the first sending would have.
    again = page.post(f"{live.url}/book/details", data=resend, allow_redirects=False,
                      timeout=30)
    assert again.status_code == 303 and "/manage/" in again.headers["Location"]

    # The crowd honours Retry-After: a booking or a clean 409 each, nobody twice.
    with ThreadPoolExecutor(CROWD) as pool:
        finals = list(pool.map(lambda n: _until_final(live.url, _booking(n, slot)),
                               range(CROWD)))
    statuses = sorted(r.status_code for r in finals)
    assert statuses.count(201) == PLACES - 2, statuses
    assert statuses.count(409) == CROWD - (PLACES - 2), statuses
    assert all(r.json()["error"]["code"] == "slot_taken" for r in finals
               if r.status_code == 409)
    assert _count(server_db, "SELECT count(*) FROM appointments") == PLACES
    assert _count(server_db, "SELECT count(DISTINCT email) FROM appointments") == PLACES
    assert "Traceback" not in live.log()


def test_without_a_bound_nothing_is_refused(start_server):
    """RESIDENT_REQUESTS_AT_ONCE=0 turns the gate off (the release-rush bench compares)."""
    live = start_server(RESIDENT_REQUESTS_AT_ONCE="0", RATELIMIT_SLOTS="10000 per minute")
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: requests.get(
            f"{live.url}/api/v1/slots?services=anmeldung", timeout=30), range(32)))
    assert {r.status_code for r in answers} == {200}
