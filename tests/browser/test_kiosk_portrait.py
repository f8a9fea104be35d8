"""The kiosk on a portrait touch screen (1080×1920) in Chromium: controls in the lower two
thirds, German names that fit their tiles, "Back" keeping the choice, a German visitor with
one errand done in four taps (Print included), and the printed ticket's screen clearing
after about 15 seconds."""
import time

from tests.browser.conftest import PRINTER, axe_violations, set_up_device
from tests.helpers import KIOSK_TOKEN

KIOSK = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True}
TOP_THIRD = 1920 / 3


def _boxes(page, selector):
    return page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect();
        return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
                fits: e.scrollWidth <= e.clientWidth + 1, text: e.textContent.trim()}; })""")


def test_portrait_kiosk_four_taps_and_clearing(browser, start_server, artifacts):
    live = start_server()
    context = browser.new_context(**KIOSK)
    context.add_init_script(PRINTER)
    kiosk = context.new_page()
    set_up_device(kiosk, live.url, KIOSK_TOKEN)
    assert kiosk.url.endswith("/kiosk/")
    taps = []

    def tap(locator, navigates=True):
        taps.append(locator)
        if navigates:
            with kiosk.expect_navigation():
                locator.tap()
        else:
            locator.tap()

    # Start: the welcome on top, the language tiles (large) in the lower two thirds.
    tiles = _boxes(kiosk, ".languages .tile")
    assert len(tiles) == 5 and all(t["top"] >= TOP_THIRD and t["bottom"] <= 1920 for t in tiles)
    assert min(t["bottom"] - t["top"] for t in tiles) >= 120
    assert axe_violations(kiosk) == []
    artifacts(kiosk, "1-start-portrait")

    tap(kiosk.get_by_role("link", name="Deutsch"))
    services = _boxes(kiosk, ".services .tile")
    assert all(t["top"] >= TOP_THIRD for t in services)
    too_long = [t["text"] for t in _boxes(kiosk, ".services .tile-name") if not t["fits"]]
    assert too_long == []
    assert kiosk.locator(".office .pictogram").count() == 4
    next_button = kiosk.get_by_role("button", name="Weiter")
    box = next_button.bounding_box()
    assert TOP_THIRD <= box["y"] and box["y"] + box["height"] <= 1920   # on screen, in reach
    assert axe_violations(kiosk) == []
    artifacts(kiosk, "2-services-de-portrait")

    # "Back" keeps the chosen errands (checked outside the tap count).
    kiosk.get_by_label("Reisepass beantragen").check()
    kiosk.get_by_label("Meldebescheinigung").check()
    with kiosk.expect_navigation():
        next_button.tap()
    with kiosk.expect_navigation():
        kiosk.get_by_role("link", name="Zurück").tap()
    assert kiosk.get_by_label("Reisepass beantragen").is_checked()
    assert kiosk.get_by_label("Meldebescheinigung").is_checked()
    kiosk.goto(f"{live.url}/kiosk/")

    # One errand, counted: language, errand, next, print.
    taps.clear()
    tap(kiosk.get_by_role("link", name="Deutsch"))
    tap(kiosk.get_by_text("Wohnsitz anmelden", exact=True), navigates=False)
    tap(kiosk.get_by_role("button", name="Weiter"))
    assert axe_violations(kiosk) == []
    artifacts(kiosk, "3-confirm-de-portrait")
    buttons = _boxes(kiosk, ".sticky-actions .big")
    assert all(b["top"] >= TOP_THIRD for b in buttons)
    tap(kiosk.get_by_role("button", name="Wartemarke drucken"))
    printed_at = time.monotonic()
    assert kiosk.locator(".receipt-number").inner_text().strip() == "A001"
    assert kiosk.evaluate("window.__printed") == 1
    assert len(taps) <= 4, f"{len(taps)} taps"
    assert axe_violations(kiosk) == []
    artifacts(kiosk, "4-ticket-de-portrait")

    # The printed ticket's screen and QR code clear after about 15 seconds, not 60.
    kiosk.wait_for_url(f"{live.url}/kiosk/", timeout=25000)
    cleared_after = time.monotonic() - printed_at
    assert 12 <= cleared_after <= 20, cleared_after

    # Arabic, right to left, same layout.
    with kiosk.expect_navigation():
        kiosk.get_by_role("link", name="العربية").tap()
    assert all(t["top"] >= TOP_THIRD for t in _boxes(kiosk, ".services .tile"))
    assert [t["text"] for t in _boxes(kiosk, ".services .tile-name") if not t["fits"]] == []
    artifacts(kiosk, "5-services-ar-portrait")
    context.close()
