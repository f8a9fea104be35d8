"""An admin runs the centre in a real Chromium: a new service reaches the kiosk, a matrix
change the clerk's desk sign-in, a closure the holder's mailbox; axe finds no serious or
critical violation on any office page."""
import time
from email import message_from_bytes, policy

from tests.browser.conftest import axe_violations, log_in, set_up_device
from tests.helpers import KIOSK_TOKEN
from tests.live import HttpApi


def test_admin_walks_through_the_office(browser, start_server, tmp_path, artifacts):
    outbox = tmp_path / "outbox"
    live = start_server(MAIL_OUTBOX=str(outbox))
    base, http = live.url, HttpApi(live.url)
    admin = browser.new_context().new_page()
    log_in(admin, base, "admin")

    # A new service with an English name → on the kiosk.
    admin.goto(f"{base}/admin/services/new?lang=en")
    admin.get_by_label("Code", exact=True).fill("fundbuero")
    admin.get_by_label("Office", exact=True).select_option("buergerbuero")
    admin.get_by_label("Ticket prefix").fill("Z")
    admin.get_by_label("Duration (minutes)").fill("5")
    admin.get_by_label("Name (German)").fill("Fundbüro")
    admin.get_by_label("Name (English)").fill("Lost property")
    admin.get_by_role("button", name="Save").click()
    admin.wait_for_load_state()
    assert "Service fundbuero created." in admin.content()
    artifacts(admin, "service-created")
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}).new_page()
    set_up_device(kiosk, base, KIOSK_TOKEN)
    kiosk.goto(f"{base}/kiosk/en/")
    assert kiosk.get_by_text("Lost property").count() >= 1

    # The matrix, by keyboard → the clerk's next desk sign-in offers the new competency.
    admin.goto(f"{base}/admin/competencies?office=kfz&lang=en")
    box = admin.get_by_label("Jonas Müller: Register a vehicle")
    assert not box.is_checked()
    box.focus()
    admin.keyboard.press("Space")
    assert box.is_checked()
    admin.get_by_role("button", name="Save competencies").click()
    admin.wait_for_load_state()
    assert "1 people changed" in admin.content()
    clerk = browser.new_context().new_page()
    log_in(clerk, base, "mueller")
    clerk.goto(f"{base}/desk/?lang=en")
    clerk.get_by_label("Desk").select_option("platz-5")
    clerk.get_by_label("Register a vehicle").check()
    clerk.get_by_role("button", name="Sign in at this desk").click()
    clerk.wait_for_load_state()
    assert "/desk/platz-5" in clerk.url

    # A closure on a booked day → the holder's mail is in the outbox.
    slot = http.get("/slots?services=kfz-zulassung").json()["slots"][0]
    booked = http.post("/appointments", {"services": ["kfz-zulassung"], "start": slot["start"],
                                         "name": "Sam", "email": "sam@example.org",
                                         "lang": "en", "consent": True}).json()
    before = set(outbox.glob("*.eml"))
    admin.goto(f"{base}/admin/closures?lang=en")
    admin.locator("#office").select_option("kfz")
    admin.get_by_label("Day", exact=True).fill(slot["start"][:10])
    admin.get_by_label("Reason").fill("Staff training")
    admin.get_by_role("button", name="Check affected appointments").click()
    admin.wait_for_load_state()
    assert booked["code"] in admin.locator("#affected").inner_text()
    artifacts(admin, "closure-affected")
    admin.get_by_role("button", name="Confirm closure and mail 1 holder(s)").click()
    admin.wait_for_load_state()
    # Mail leaves through the outbox after the response (so does the booking's own
    # confirmation): wait for the closure's, and count only that one.
    deadline = time.monotonic() + 15
    while True:
        mails = [message_from_bytes(path.read_bytes(), policy=policy.default)
                 for path in sorted(set(outbox.glob("*.eml")) - before)]
        closure = [m for m in mails if "Staff training" in m.get_body(("plain",)).get_content()]
        if closure or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(closure) == 1
    mail = closure[0]
    assert mail["To"] == "sam@example.org" and booked["code"] in mail["Subject"]


def test_no_serious_violations_on_any_office_page(browser, start_server, artifacts):
    live = start_server()
    base, http = live.url, HttpApi(live.url)
    http.issue("meldebescheinigung")
    page = browser.new_context().new_page()
    log_in(page, base, "admin")
    found = {}

    def check(name):
        page.wait_for_load_state("networkidle")
        artifacts(page, name)
        found[name] = axe_violations(page)

    for lang in ("en", "de"):
        for path in ("services", "services/new", "services/anmeldung",
                     "services/meldebescheinigung/delete", "staff", "staff/new",
                     "staff/mueller", "competencies", "offices",
                     "offices/kfz/opening-rules?preview=1", "closures", "devices", "audit",
                     "settings"):
            sep = "&" if "?" in path else "?"
            page.goto(f"{base}/admin/{path}{sep}lang={lang}")
            check(f"{path}-{lang}")
    # The states after a form: errors beside fields, a preview, a token shown once.
    page.goto(f"{base}/admin/services/new?lang=en")
    page.get_by_label("Code", exact=True).fill("Bad Code")
    page.get_by_role("button", name="Save").click()
    check("service-errors-en")
    page.goto(f"{base}/admin/closures?lang=en")
    page.get_by_label("Day", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Check affected appointments").click()
    check("closure-error-en")
    page.goto(f"{base}/admin/devices?lang=en")
    page.get_by_label("Name", exact=True).fill("kiosk-neu")
    page.get_by_role("button", name="Register").click()
    check("device-token-en")
    supervisor = page
    supervisor.context.clear_cookies()
    log_in(supervisor, base, "leitung")
    supervisor.goto(f"{base}/admin/services/anmeldung?lang=en")
    check("service-read-only-en")

    serious = {name: v for name, v in found.items() if v}
    assert serious == {}, serious
    assert len(found) == 32
