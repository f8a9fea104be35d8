"""An admin adds a desk offering one service in a real Chromium, by keyboard; a clerk then
signs in at it and can choose only that service. axe finds no serious or critical
violation on the places pages or the desk chooser."""
from tests.browser.conftest import axe_violations, log_in


def test_admin_adds_a_desk_for_one_service_and_the_clerk_can_choose_only_it(
        browser, start_server, artifacts):
    base = start_server().url
    found = {}

    def check(page, name):
        page.wait_for_load_state("networkidle")
        artifacts(page, name)
        found[name] = axe_violations(page)

    admin = browser.new_context().new_page()
    log_in(admin, base, "admin")
    admin.goto(f"{base}/admin/offices?lang=en")
    check(admin, "offices-en")
    admin.get_by_role("link", name="New desk").click()
    admin.get_by_label("Code", exact=True).fill("platz-20")
    admin.get_by_label("Name on the boards").fill("Platz 20")
    admin.get_by_label("Zone", exact=True).select_option("eg")
    box = admin.get_by_label("Register your address")
    box.focus()
    admin.keyboard.press("Space")
    assert box.is_checked()
    check(admin, "desk-new-en")
    admin.get_by_role("button", name="Save").click()
    admin.wait_for_load_state()
    assert "platz-20 created." in admin.content()
    assert admin.get_by_label("Register your address").is_checked()
    assert not admin.get_by_label("Apply for a passport").is_checked()
    check(admin, "desk-created-en")
    admin.goto(f"{base}/admin/offices?lang=de")
    check(admin, "offices-de")
    admin.goto(f"{base}/admin/desks/platz-1/delete?lang=de")
    check(admin, "desk-delete-de")

    clerk = browser.new_context().new_page()
    log_in(clerk, base, "mueller")
    clerk.goto(f"{base}/desk/?lang=en")
    clerk.get_by_label("Desk", exact=True).select_option("platz-20")
    offered = clerk.get_by_label("Register your address")
    assert offered.is_enabled()
    for other in ("Apply for a passport", "Certificate of residence", "Apply for an ID card"):
        assert clerk.get_by_label(other).is_disabled(), other
        assert not clerk.get_by_label(other).is_checked(), other
    assert "not offered at this desk" in clerk.locator("#desk-services").inner_text()
    # The labels of those boxes look unavailable too, not only the boxes.
    colour = "e => getComputedStyle(e.closest('label')).color"
    assert clerk.get_by_label("Apply for a passport").evaluate(colour) != offered.evaluate(colour)
    assert "only the services listed below" in clerk.locator("#desk-offer").inner_text()
    check(clerk, "desk-chooser-en")
    # Back to a desk that offers everything: the clerk's services are open again.
    clerk.get_by_label("Desk", exact=True).select_option("platz-1")
    assert clerk.get_by_label("Apply for a passport").is_enabled()
    clerk.get_by_label("Desk", exact=True).select_option("platz-20")
    offered.check()
    clerk.get_by_role("button", name="Sign in at this desk").click()
    clerk.wait_for_load_state()
    assert "/desk/platz-20" in clerk.url
    check(clerk, "desk-signed-in-en")

    serious = {name: v for name, v in found.items() if v}
    assert serious == {}, serious
