"""The board outlives its server: a banner while it is gone, the same calls when it is
back; and the kiosk returns to its start screen when a visitor walks away."""
from tests.browser.conftest import set_up_device
from tests.helpers import KIOSK_TOKEN
from tests.live import HttpApi, LiveServer


def test_board_shows_the_banner_reconnects_and_shows_the_same_state(
        browser, start_server, tmp_path, artifacts):
    live = start_server()
    http = HttpApi(live.url)
    first = http.issue("anmeldung")
    second = http.issue("anmeldung", lang="uk")
    http.post("/desks/platz-3/session", {"services": ["anmeldung"]}, who="mueller")
    http.post("/desks/platz-3/call-next", who="mueller")
    http.post(f"/tickets/{first['id']}/finish", who="mueller")
    http.post("/desks/platz-3/call-next", who="mueller")

    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{live.url}/display/eg")
    board.wait_for_selector(f'#latest[data-number="{second["number"]}"]')
    before = board.locator("main").inner_text()
    assert board.locator("#offline").is_hidden()

    live.kill()
    board.wait_for_selector("#offline", state="visible", timeout=10000)
    artifacts(board, "1-server-gone")

    again = LiveServer(live.database_url, tmp_path, port=live.port).start()
    try:
        board.wait_for_selector("#offline", state="hidden", timeout=20000)
        board.wait_for_selector(f'#latest[data-number="{second["number"]}"]')
        assert board.locator("main").inner_text() == before
        assert board.locator("#latest li").nth(1).inner_text().startswith(first["number"])
        artifacts(board, "2-server-back")
    finally:
        again.stop()


def test_kiosk_warns_then_returns_to_the_start_screen(browser, start_server):
    live = start_server(KIOSK_IDLE_SECONDS="4")
    kiosk = browser.new_page()
    set_up_device(kiosk, live.url, KIOSK_TOKEN)
    kiosk.goto(f"{live.url}/kiosk/en/")
    kiosk.get_by_label("Register your address", exact=True).check()
    dialog = kiosk.get_by_role("alertdialog")
    dialog.wait_for(state="visible", timeout=5000)
    dialog.get_by_role("button", name="Continue").click()     # more time, as asked
    assert kiosk.url.endswith("/kiosk/en/")
    assert kiosk.get_by_label("Register your address", exact=True).is_checked()
    kiosk.wait_for_url(f"{live.url}/kiosk/", timeout=12000)    # then nobody touched it
