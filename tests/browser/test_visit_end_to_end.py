"""One visit through every face, in a real browser: an Arabic-speaking visitor takes a
ticket at the kiosk, a clerk calls it from the desk page, the board shows it within a
second and speaks it in German and Arabic, the phone page says "your turn"."""
import time

from tests.browser.conftest import PRINTER, log_in, set_up_device
from tests.helpers import KIOSK_TOKEN

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
KIOSK = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True}


def test_arabic_visitor_from_kiosk_to_desk(browser, start_server, artifacts, server_db):
    live = start_server(server_db)
    base = live.url

    kiosk_context = browser.new_context(**KIOSK)
    kiosk_context.add_init_script(PRINTER)
    kiosk = kiosk_context.new_page()
    set_up_device(kiosk, base, KIOSK_TOKEN)
    assert kiosk.url.endswith("/kiosk/")
    artifacts(kiosk, "1-kiosk-start")
    kiosk.get_by_role("link", name="العربية").click()
    assert kiosk.locator("html").get_attribute("dir") == "rtl"
    kiosk.get_by_label("تسجيل عنوان السكن", exact=True).check()
    kiosk.get_by_label("تسجيل مركبة", exact=True).check()
    artifacts(kiosk, "2-kiosk-services-ar")
    kiosk.get_by_role("button", name="التالي").click()
    assert kiosk.get_by_text("بطاقة الهوية أو جواز السفر").first.is_visible()
    kiosk.get_by_label("أنا هنا مع أطفال صغار").check()
    artifacts(kiosk, "3-kiosk-confirm-ar")
    kiosk.get_by_role("button", name="اطبع تذكرتي").click()
    number = kiosk.locator(".receipt-number").inner_text().strip()
    track_url = kiosk.locator(".receipt-link").inner_text().strip()
    assert number == "A001" and "/t/" in track_url
    artifacts(kiosk, "4-kiosk-ticket-ar")
    assert kiosk.evaluate("window.__printed") == 1
    kiosk.emulate_media(media="print")
    kiosk.pdf(path=str(artifacts.folder / "5-receipt-80mm.pdf"), prefer_css_page_size=True)
    kiosk.set_viewport_size({"width": 302, "height": 1200})      # 80 mm at 96 dpi
    artifacts(kiosk, "5-receipt-as-printed")
    assert kiosk.locator(".kiosk-header").is_hidden()
    assert kiosk.get_by_role("button", name="طباعة التذكرة").is_hidden()
    kiosk.emulate_media(media="screen")
    kiosk.set_viewport_size(KIOSK["viewport"])

    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{base}/display/eg")
    board.get_by_role("button", name="Ton einschalten").click()
    board.wait_for_selector("body[data-connected=true]")

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(track_url)
    assert phone.locator("html").get_attribute("lang") == "ar"
    phone.wait_for_function("() => document.querySelector('#connection').hidden")
    artifacts(phone, "6-phone-waiting-ar")

    clerk = browser.new_context().new_page()
    log_in(clerk, base, "mueller")
    clerk.get_by_label("Desk").select_option("platz-3")
    clerk.get_by_role("button", name="Sign in at this desk").click()
    assert clerk.locator("#counts [data-service=anmeldung] .count").inner_text() == "1"

    clerk.wait_for_load_state("load")             # its shortcuts work once its script ran
    started = time.monotonic()
    clerk.keyboard.press("n")                     # the desk page's shortcut for "call next"
    board.wait_for_selector(f'#latest[data-number="{number}"]', timeout=1000)
    board_seconds = time.monotonic() - started
    assert board_seconds < 1.0
    artifacts(board, "7-board-called")

    phone.wait_for_selector('[data-status="called"]', timeout=5000)
    assert "حان دورك!" in phone.locator("#live-status").inner_text()
    assert "Platz 3" in phone.locator("#live-status").inner_text()
    assert "حان دورك!" in phone.locator("#announce").inner_text()
    artifacts(phone, "8-phone-your-turn-ar")

    clerk.wait_for_selector(f"text={number}")
    page_text = clerk.locator("main").inner_text()
    assert "Arabic" in page_text and "priority visitor" in page_text
    artifacts(clerk, "9-desk-serving")

    board.wait_for_function("() => window.boardAnnouncements.length >= 2", timeout=10000)
    spoken = board.evaluate("window.boardAnnouncements")
    assert spoken[:2] == [{"lang": "de", "text": "Nummer A 1, bitte zu Platz 3."},
                          {"lang": "ar", "text": "الرقم A 1، يرجى التوجه إلى Platz 3."}]

    # A recall repeats the announcement and the flash.
    clerk.wait_for_load_state("load")
    clerk.keyboard.press("r")
    board.wait_for_function("() => window.boardAnnouncements.length >= 4", timeout=10000)
    assert board.locator("#latest.flash").count() == 1

    # After the first errand the phone says where to go next.
    clerk.wait_for_selector("text=Recall")
    clerk.wait_for_load_state("load")
    clerk.keyboard.press("f")
    phone.wait_for_selector('[data-status="waiting"]', timeout=5000)
    assert "التالي: تسجيل مركبة" in phone.locator("#live-status").inner_text()
    artifacts(phone, "10-phone-next-errand-ar")
