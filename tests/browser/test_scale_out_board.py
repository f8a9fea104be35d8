"""Scale-out with a real board: two processes share PostgreSQL and talk through Redis; the
clerk's desk page is served by one, the board page by the other."""
import secrets
import time


from tests.browser.conftest import log_in
from tests.live import HttpApi
from tests.services import redis_url


def test_desk_on_one_process_board_on_the_other(browser, start_server, shared_postgres, artifacts):
    env = {"SOCKETIO_MESSAGE_QUEUE": redis_url(),
           "SOCKETIO_CHANNEL": f"test-{secrets.token_hex(4)}"}
    a = start_server(shared_postgres, **env)
    b = start_server(shared_postgres, **env)
    ticket = HttpApi(b.url).issue("kfz-zulassung", lang="tr")

    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{b.url}/display/eg")
    board.wait_for_selector("body[data-connected=true]")

    clerk = browser.new_page()
    log_in(clerk, a.url, "schmidt")
    clerk.get_by_label("Desk").select_option("platz-7")
    clerk.get_by_role("button", name="Sign in at this desk").click()
    started = time.monotonic()
    clerk.get_by_role("button", name="Call next").click()
    board.wait_for_selector(f'#latest[data-number="{ticket["number"]}"]', timeout=1000)
    assert time.monotonic() - started < 1.0
    board.wait_for_function("() => window.boardAnnouncements.length >= 2", timeout=10000)
    assert board.evaluate("window.boardAnnouncements")[1] == {
        "lang": "tr", "text": "Numara K 1, lütfen Platz 7 bölümüne gelin."}
    artifacts(board, "board-on-the-other-process")
