"""The board on a 1920×1080 screen in Chromium: everything fits without scrolling, the
newest calls large with the newest highlighted, each number once after a reload, the sound
control a small corner button, a clock and the zone's name, only the zone's services."""
import re

from tests.browser.conftest import axe_violations
from tests.live import HttpApi

FULL_HD = {"width": 1920, "height": 1080}


def test_board_fits_full_hd_and_reads_from_afar(browser, start_server, artifacts):
    live = start_server()
    http = HttpApi(live.url)
    # Two desks on the ground floor, one upstairs (not this board's business).
    for desk, clerk, services in (("platz-3", "mueller", ["anmeldung", "reisepass"]),
                                  ("platz-4", "yilmaz", ["kfz-zulassung"]),
                                  ("platz-9", "haddad", ["integrationskurs"])):
        assert http.post(f"/desks/{desk}/session", {"services": services},
                         who=clerk).status_code == 200
    # Twelve visitors; the first has two errands and is called at both ground-floor desks.
    twice = http.issue("anmeldung", "kfz-zulassung")
    others = [http.issue("reisepass") for _ in range(10)]
    http.issue("integrationskurs")

    def call(desk, clerk):
        ticket = http.post(f"/desks/{desk}/call-next", who=clerk).json()
        assert http.post(f"/tickets/{ticket['id']}/finish", who=clerk).status_code == 200
        return ticket

    assert call("platz-3", "mueller")["id"] == twice["id"]
    assert call("platz-4", "yilmaz")["id"] == twice["id"]
    for _ in others[:9]:
        call("platz-3", "mueller")

    board = browser.new_context(viewport=FULL_HD).new_page()
    board.goto(f"{live.url}/display/eg")
    board.wait_for_selector("body[data-connected=true]")
    board.wait_for_selector("#latest[data-number]")
    size = board.evaluate("[document.documentElement.scrollHeight, "
                          "document.documentElement.scrollWidth]")
    assert size[0] <= 1080 and size[1] <= 1920
    numbers = re.findall(r"[A-Z]\d{3}", board.locator(".calls").inner_text())
    assert len(numbers) == len(set(numbers)) == 10        # each once, all visible
    assert twice["number"] in numbers
    large = board.locator("#latest li")
    assert large.count() == 4 and board.locator("#latest li.newest").count() == 1
    for i in range(4):       # every large call is on screen, numbers at least 60 px high
        box = large.nth(i).locator(".latest-number").bounding_box()
        assert box["y"] + box["height"] <= 1080 and box["height"] >= 60
    for row in board.locator("#history li").all():
        box = row.bounding_box()
        assert box["y"] + box["height"] <= 1080
    assert board.locator(".board-zone").inner_text() == "Erdgeschoss"
    assert re.fullmatch(r"\d\d:\d\d", board.locator("#clock").inner_text())
    waiting = board.locator("#waiting").inner_text()
    assert "Reisepass beantragen" in waiting and "Fahrzeug zulassen" in waiting
    assert "Integrationskurs" not in waiting and "Halterwechsel" not in waiting

    # The sound control is a small corner button that covers no call.
    sound = board.get_by_role("button", name="Ton einschalten").bounding_box()
    assert sound["width"] * sound["height"] < 0.02 * 1920 * 1080
    calls = board.locator(".calls").bounding_box()
    assert sound["y"] >= calls["y"] + calls["height"] or sound["x"] >= calls["x"] + calls["width"]
    assert axe_violations(board) == []
    artifacts(board, "1-board-full-hd")

    # Two desks calling a second apart: both large, the newest highlighted and flashing.
    a, b = others[9], http.issue("kfz-zulassung")
    http.post("/desks/platz-3/call-next", who="mueller")
    http.post("/desks/platz-4/call-next", who="yilmaz")
    board.wait_for_selector(f'#latest[data-number="{b["number"]}"]', timeout=5000)
    assert board.locator("#latest li").nth(1).inner_text().startswith(a["number"])
    assert board.locator("#latest.flash li.newest").count() == 1
    duration = board.evaluate("""() => {
        const s = getComputedStyle(document.querySelector('#latest li.newest'));
        return parseFloat(s.animationDuration) * parseFloat(s.animationIterationCount); }""")
    assert duration >= 6
    artifacts(board, "2-board-two-calls")

    board.reload()
    board.wait_for_selector(f'#latest[data-number="{b["number"]}"]')
    numbers = re.findall(r"[A-Z]\d{3}", board.locator(".calls").inner_text())
    assert len(numbers) == len(set(numbers))


def test_a_new_centres_board_counts_before_any_desk_opens(browser, start_server):
    """Nothing served in the zone yet: the board shows every count, not an empty panel, and
    a call from a desk here keeps its service listed."""
    live = start_server()
    http = HttpApi(live.url)
    http.issue("anmeldung")
    board = browser.new_context(viewport=FULL_HD).new_page()
    board.goto(f"{live.url}/display/eg")
    board.wait_for_selector("body[data-connected=true]")
    board.wait_for_function("document.querySelector('#waiting').children.length > 0")
    assert "Wohnsitz anmelden" in board.locator("#waiting").inner_text()
