"""A resident books on a phone, in Arabic (right to left), and then in German; axe-core
checks every page on the way; the kiosk answers the code honestly."""
from tests.browser.conftest import axe_violations, set_up_device
from tests.helpers import KIOSK_TOKEN

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_booking_on_a_phone_in_arabic(browser, start_server, artifacts):
    live = start_server()
    page = browser.new_context(**PHONE).new_page()
    found = {}

    def check(name):
        page.wait_for_load_state("networkidle")
        artifacts(page, name)
        found[name] = axe_violations(page)

    page.goto(f"{live.url}/book/?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    check("1-services-ar")
    page.get_by_label("تسجيل عنوان السكن", exact=False).first.check()
    page.get_by_role("button", name="عرض الأوقات المتاحة").click()
    check("2-times-ar")
    # A month with its free days, then one day's times: a keyboard user reaches the first
    # time in a few dozen Tab presses, not 120.
    assert page.locator("table.calendar td.free a").count() >= 1
    stops = page.evaluate("""() => [...document.querySelectorAll('main a, main button')]
        .filter(e => e.offsetParent !== null).length""")
    assert stops <= 60, stops
    first_time = page.locator("ul.times a").first
    label = first_time.get_attribute("aria-label")
    first_time.click()
    check("3-details-ar")
    page.get_by_label("اسمك").fill("ليلى حداد")
    page.get_by_label("البريد الإلكتروني").fill("layla@example.org")
    page.get_by_label("أوافق.").check()
    page.get_by_role("button", name="احجز هذا الموعد").click()
    page.wait_for_url("**/manage/**")
    check("4-booked-ar")
    assert "تم حجز موعدك" in page.locator("main").inner_text()
    code = page.locator(".code").inner_text().strip()
    assert len(code) == 7 and label

    page.get_by_role("link", name="Deutsch").click()
    assert "Ihr Termin" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Termin absagen").click()
    check("5-cancel-de")

    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
    set_up_device(kiosk, live.url, KIOSK_TOKEN)
    kiosk.goto(f"{live.url}/kiosk/ar/check-in")
    kiosk.get_by_label("رمز الحجز").fill(code)
    kiosk.get_by_role("button", name="تسجيل الحضور").click()
    # Booked at least two hours ahead: the kiosk says when check-in opens.
    assert "لقد وصلت مبكرًا" in kiosk.locator("main").inner_text()
    artifacts(kiosk, "6-kiosk-too-early-ar")

    serious = {name: v for name, v in found.items() if v}
    assert serious == {}, serious
