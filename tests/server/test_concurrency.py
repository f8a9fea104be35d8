"""Races through HTTP against a real server: numbers and calls must never collide."""
from concurrent.futures import ThreadPoolExecutor

from tests.live import HttpApi
from tests.server.conftest import add_clerks

TICKETS = 120
DESKS = 10
SERVICES = ["anmeldung", "reisepass"]


def test_concurrent_tickets_get_unique_numbers_without_gaps(live):
    def issue(i):
        api = HttpApi(live.url)
        service = "anmeldung" if i % 3 else "kfz-zulassung"
        return api.issue(service, lang="en")

    with ThreadPoolExecutor(max_workers=32) as pool:
        tickets = list(pool.map(issue, range(TICKETS)))
    a_numbers = sorted(t["number"] for t in tickets if t["number"].startswith("A"))
    k_numbers = sorted(t["number"] for t in tickets if t["number"].startswith("K"))
    assert a_numbers == [f"A{n:03d}" for n in range(1, len(a_numbers) + 1)]
    assert k_numbers == [f"K{n:03d}" for n in range(1, len(k_numbers) + 1)]
    assert len({t["id"] for t in tickets}) == TICKETS


def test_concurrent_retries_with_one_key_make_one_ticket(live):
    def issue(_):
        return HttpApi(live.url).post("/tickets", {"services": ["anmeldung"]}, who="kiosk",
                                      headers={"Idempotency-Key": "same-key-retried"})

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(issue, range(32)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert HttpApi(live.url).issue("anmeldung")["number"] == "A002"


def test_desks_racing_call_next_call_each_visitor_exactly_once(live):
    clerks = add_clerks(live.database_url, DESKS, SERVICES)
    setup = HttpApi(live.url)
    # Only the desks that offer both errands (a desk listing none offers every one).
    offering = [d["code"] for d in setup.get("/desks", who="mueller").json()
                if not d["services"] or set(SERVICES) <= set(d["services"])]
    desks = offering[:DESKS]
    assert len(desks) >= 8, offering
    issued = {setup.issue("anmeldung" if i % 2 else "reisepass")["id"] for i in range(60)}

    def work(n):
        api = HttpApi(live.url)
        clerk, desk = clerks[n], desks[n]
        r = api.post(f"/desks/{desk}/session", {"services": SERVICES}, who=clerk)
        assert r.status_code == 200, r.text
        called = []
        while True:
            r = api.post(f"/desks/{desk}/call-next", who=clerk)
            if r.status_code == 204:
                return called
            assert r.status_code == 200, r.text
            ticket = r.json()
            assert ticket["desk"] == desk
            called.append(ticket["id"])
            assert api.post(f"/tickets/{ticket['id']}/finish", who=clerk).status_code == 200

    with ThreadPoolExecutor(max_workers=len(desks)) as pool:
        per_desk = list(pool.map(work, range(len(desks))))
    everyone = [t for desk in per_desk for t in desk]
    assert len(everyone) == len(set(everyone)), "a visitor was called twice"
    assert set(everyone) == issued, "a visitor was never called"
    assert sum(1 for d in per_desk if d) > 1, "the desks did not actually race"
