"""axe-core (vendored from the npm registry) in Chromium on every page a person uses:
no serious or critical WCAG 2.1 A/AA violation, in German, English and Arabic."""
from tests.browser.conftest import axe_violations, log_in, set_up_device
from tests.helpers import KIOSK_TOKEN
from tests.live import HttpApi


def test_no_serious_violations_on_any_page(browser, start_server, artifacts):
    live = start_server()
    base = live.url
    http = HttpApi(base)
    found = {}

    def check(page, name):
        page.wait_for_load_state("networkidle")
        artifacts(page, name)
        found[name] = axe_violations(page)

    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
    set_up_device(kiosk, base, KIOSK_TOKEN)
    check(kiosk, "kiosk-start")
    kiosk.goto(f"{base}/kiosk/ar/")
    check(kiosk, "kiosk-services-ar")
    kiosk.goto(f"{base}/kiosk/ar/confirm")
    check(kiosk, "kiosk-services-error-ar")
    kiosk.goto(f"{base}/kiosk/ar/confirm?service=anmeldung&service=kfz-zulassung")
    check(kiosk, "kiosk-confirm-ar")
    kiosk.get_by_role("button", name="اطبع تذكرتي").click()
    check(kiosk, "kiosk-ticket-ar")
    track_url = kiosk.locator(".receipt-link").inner_text().strip()
    kiosk.goto(f"{base}/kiosk/de/check-in")
    kiosk.get_by_label("Buchungscode").fill("ABC123")
    kiosk.get_by_role("button", name="Anmelden", exact=True).click()
    check(kiosk, "kiosk-check-in-unknown-de")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(track_url)
    check(phone, "phone-waiting-ar")
    phone.goto(track_url.replace("lang=ar", "lang=de"))
    check(phone, "phone-waiting-de")

    http.post("/desks/platz-3/session", {"services": ["anmeldung"]}, who="mueller")
    http.post("/desks/platz-3/call-next", who="mueller")
    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{base}/display/eg")
    board.wait_for_selector("#latest[data-number]")
    check(board, "board-with-sound-control")
    board.get_by_role("button", name="Ton einschalten").click()
    check(board, "board")

    phone.goto(track_url)
    check(phone, "phone-called-ar")

    staff = browser.new_context().new_page()
    staff.goto(f"{base}/login")
    check(staff, "login-de")
    log_in(staff, base, "yilmaz")
    check(staff, "desk-choose-en")
    staff.get_by_label("Desk").select_option("platz-4")
    staff.get_by_role("button", name="Sign in at this desk").click()
    check(staff, "desk-empty-en")
    http.issue("personalausweis", lang="tr")
    staff.get_by_role("button", name="Call next").click()
    check(staff, "desk-serving-en")

    supervisor = browser.new_context().new_page()
    log_in(supervisor, base, "leitung")
    check(supervisor, "floor-en")
    supervisor.goto(f"{base}/floor?lang=de")
    check(supervisor, "floor-de")

    serious = {name: v for name, v in found.items() if v}
    assert serious == {}, serious
    assert len(found) == 17


def test_the_check_finds_violations_where_there_are_some(browser):
    """Guards the helper above: a page without language, label or contrast must fail it."""
    page = browser.new_page()
    page.set_content('<html><body><input type="text">'
                     '<p style="color:#ccc;background:#fff">faint</p></body></html>')
    ids = {v["id"] for v in axe_violations(page)}
    assert {"html-has-lang", "label", "color-contrast"} <= ids
