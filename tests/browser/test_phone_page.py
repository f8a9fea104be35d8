"""The visitor's phone page in Chromium: the centre's name, where to wait for each errand,
"your turn" over the whole screen, the language switch, and leaving the queue (asked once)."""
from tests.browser.conftest import axe_violations
from tests.live import HttpApi

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_phone_page_guides_and_lets_the_visitor_leave(browser, start_server, artifacts):
    live = start_server()
    http = HttpApi(live.url)
    for desk, clerk, service in (("platz-3", "mueller", "anmeldung"),
                                 ("platz-9", "haddad", "integrationskurs")):
        assert http.post(f"/desks/{desk}/session", {"services": [service]},
                         who=clerk).status_code == 200
    first = http.issue("anmeldung", "integrationskurs", lang="de")
    second = http.issue("anmeldung", lang="de")

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(second["track_url"])
    phone.wait_for_function("() => document.querySelector('#connection').hidden")
    text = phone.locator("main").inner_text()
    assert text.startswith("Bürgerzentrum Musterstadt · Marktplatz 1")
    assert "Bitte warten Sie im: Erdgeschoss" in text
    assert phone.locator("[data-field=position]").inner_text() == "2"
    assert axe_violations(phone) == []
    artifacts(phone, "1-phone-waiting-de")

    # The switch changes the errand names too, each marked with its language.
    phone.get_by_role("link", name="English").click()
    assert phone.locator(".steps [lang=en]").first.inner_text() == "Register your address"

    other = browser.new_context(**PHONE).new_page()
    other.goto(first["track_url"])
    assert "Wartebereich: 1. Obergeschoss" in other.locator(".steps").inner_text()
    artifacts(other, "2-phone-errand-upstairs-de")
    # Leave: asked once; "No" keeps the place, "Yes" gives it up.
    other.get_by_role("link", name="Warteschlange verlassen").click()
    other.get_by_role("link", name="Nein, Platz behalten").click()
    assert other.get_by_role("link", name="Warteschlange verlassen").is_visible()
    other.get_by_role("link", name="Warteschlange verlassen").click()
    artifacts(other, "3-phone-leave-asks-de")
    other.get_by_role("button", name="Ja, Warteschlange verlassen").click()
    assert "Sie haben die Warteschlange verlassen" in other.locator("#live-status").inner_text()
    assert http.get(f"/tickets/{first['id']}").json()["status"] == "left"

    # The visitor behind moves up, live; then their turn fills the screen.
    phone.wait_for_selector("[data-field=position]:text-is('1')", timeout=5000)
    assert http.post("/desks/platz-3/call-next", who="mueller").json()["id"] == second["id"]
    phone.wait_for_selector('[data-status="called"]', timeout=5000)
    box = phone.locator(".status-box.called").bounding_box()
    assert box["width"] >= 390 and box["height"] >= 844 and box["x"] == 0 and box["y"] == 0
    assert "Platz 3" in phone.locator(".status-box").inner_text()
    assert second["number"] in phone.locator(".status-box").inner_text()
    assert axe_violations(phone) == []
    artifacts(phone, "4-phone-your-turn-en")
