"""The office on a phone (390 px wide): wide tables scroll inside their own focusable
region, the page itself never sideways; a refused form's summary takes the focus."""
import pytest

from tests.browser.conftest import axe_violations, log_in

PAGES = ["/admin/services", "/admin/audit", "/admin/devices", "/admin/closures",
         "/admin/offices", "/admin/staff", "/admin/competencies", "/admin/settings",
         "/admin/services/anmeldung"]


@pytest.fixture
def phone(browser, start_server):
    live = start_server()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, live.url, "admin")
    return page, live.url


def test_no_office_page_scrolls_sideways_on_a_phone(phone):
    page, base = phone
    for path in PAGES:
        for lang in ("de", "en"):
            page.goto(f"{base}{path}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, lang, width)
            for region in page.locator("table").all():
                wrap = region.locator("xpath=..")
                assert wrap.get_attribute("role") == "region", path
                assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("aria-label")


def test_a_wide_table_scrolls_by_keyboard_inside_its_region(phone):
    page, base = phone
    page.goto(f"{base}/admin/competencies?lang=de")
    region = page.locator(".table-scroll").first
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for _ in range(50):         # arrow keys may scroll smoothly: a moment to get there
        if region.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(20)
    assert region.evaluate("e => e.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0


def test_a_refused_form_focuses_its_error_summary(phone):
    page, base = phone
    page.goto(f"{base}/admin/desks/new?lang=en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = page.locator("#error-summary a")
    assert links.count() == 2     # code and name (the zone is chosen from a list)
    assert axe_violations(page) == []
    links.first.click()
    assert page.evaluate("document.activeElement.id") == "code"


def test_revoke_confirm_page_and_the_phone_tables_pass_axe(phone):
    page, base = phone
    for path in ("/admin/devices/kiosk-eingang/revoke", "/admin/services", "/admin/offices",
                 "/admin/devices"):
        page.goto(f"{base}{path}?lang=de")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert axe_violations(page) == [], path
