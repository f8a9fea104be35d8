"""The office's pages as an admin and a supervisor use them: lists, change forms with errors
beside their fields, delete refused with the reason, the matrix, closures with their
affected appointments, devices, the audit log — German and English."""
import re
from email import message_from_bytes, policy

import pytest

from tests.helpers import csrf_token

PAGES = ["/admin/services", "/admin/services/new", "/admin/services/anmeldung",
         "/admin/services/anmeldung/delete", "/admin/staff", "/admin/staff/new",
         "/admin/staff/mueller", "/admin/competencies", "/admin/offices",
         "/admin/offices/kfz/opening-rules", "/admin/offices/kfz/opening-rules?preview=1",
         "/admin/closures", "/admin/devices", "/admin/audit", "/admin/settings"]

SERVICE_FORM = {"code": "fundbuero", "office": "buergerbuero", "prefix": "Z",
                "duration_minutes": "5", "target_wait_minutes": "20", "walk_in": "on",
                "active": "on", "name_de": "Fundbüro", "name_en": "Lost property",
                "documents_de": "Ausweis\nBeschreibung"}


@pytest.fixture
def admin(pages):
    assert pages.login("admin").status_code == 302
    return pages


@pytest.mark.parametrize("lang, word", [("de", "Änderungsprotokoll"), ("en", "Audit log")])
def test_every_page_renders_in_german_and_english(admin, lang, word):
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        r = admin.client.get(f"{path}{sep}lang={lang}")
        assert r.status_code == 200, (path, r.status_code)
        assert f'lang="{lang}"' in r.text and word in r.text, path
        assert "<script>" not in r.text and " on" + "click=" not in r.text


def test_a_filtered_list_keeps_what_was_asked(admin):
    page = admin.client.get("/admin/staff?q=Nina&role=clerk&active=no&lang=en").text
    assert re.search(r'<input type="search" id="q" name="q" value="Nina">', page)
    assert re.search(r'<option value="clerk" selected>', page)
    assert re.search(r'<option value="no" selected>Inactive</option>', page)
    assert not re.search(r'<option value="(admin|supervisor|yes)" selected', page)
    matrix = admin.client.get("/admin/competencies?office=kfz").text
    assert re.search(r'<option value="kfz" selected>', matrix)


def test_supervisor_looks_but_cannot_change_clerk_sees_nothing(pages, client):
    pages.login("leitung")
    r = client.get("/admin/services/anmeldung")
    assert r.status_code == 200 and "disabled" in r.text
    r = client.post("/admin/services/anmeldung", data={"csrf_token": csrf_token(r.text),
                                                       "prefix": "X"})
    assert r.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(r.text) if "csrf" in r.text else ""})
    other = pages.__class__(client.application.test_client())
    other.login("mueller")
    assert other.client.get("/admin/services").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.get("/admin/services").status_code == 302


def test_create_service_errors_beside_fields_then_on_the_kiosk(admin, kiosk):
    r = admin.submit("/admin/services/new", {**SERVICE_FORM, "code": "anmeldung",
                                             "prefix": "zz"})
    assert r.status_code == 422
    assert re.search(r'id="prefix"[^>]*aria-invalid="true"', r.text)
    assert 'id="prefix-error"' in r.text
    r = admin.submit("/admin/services/new", {**SERVICE_FORM, "code": "anmeldung"})
    assert r.status_code == 409 and 'id="code-error"' in r.text
    r = admin.submit("/admin/services/new", SERVICE_FORM)
    assert r.status_code == 303
    page = admin.client.get(r.headers["Location"] + "?lang=en")
    assert "translation missing" in page.text and "service.created" in page.text
    assert "Lost property" in kiosk.client.get("/kiosk/en/").text


def test_delete_refused_while_used_offers_deactivation(admin, api):
    api.issue("meldebescheinigung")
    r = admin.submit("/admin/services/meldebescheinigung/delete?lang=en", {})
    assert r.status_code == 409 and "Visitors still wait for this service" in r.text
    assert "Deactivate" in r.text
    r = admin.submit("/admin/services/meldebescheinigung/delete", {"deactivate": "1"})
    assert r.status_code == 303
    assert "meldebescheinigung" not in {s["code"] for s in api.get("/services").get_json()}


def test_roles_are_named_in_the_pages_language(admin):
    # The code words (clerk, supervisor) are the API's; the pages name the roles.
    page = admin.client.get("/admin/staff?lang=de").text
    assert "<td>Sachbearbeitung</td>" in page and "<td>clerk</td>" not in page
    assert '<option value="clerk">Sachbearbeitung</option>' in page      # the filter
    form = admin.client.get("/admin/staff/new?lang=de").text
    assert re.search(r'<option value="supervisor"[^>]*>Teamleitung</option>', form)
    assert "<td>Clerk</td>" in admin.client.get("/admin/staff?lang=en").text


def test_staff_form_resets_password_and_deactivates(admin, client):
    r = admin.submit("/admin/staff/new", {"username": "neu", "name": "Nina", "role": "clerk",
                                          "password": "kurz"})
    assert r.status_code == 422 and 'id="password-error"' in r.text
    r = admin.submit("/admin/staff/new", {"username": "neu", "name": "Nina", "role": "clerk",
                                          "password": "lang-genug", "competency": ["anmeldung"]})
    assert r.status_code == 303
    r = admin.submit("/admin/staff/admin", {"name": "Administration", "role": "clerk",
                                            "active": "on"})
    assert r.status_code == 409 and "letzte aktive Administration" in r.text
    assert 'id="role-error"' in r.text
    r = admin.submit("/admin/staff/neu", {"name": "Nina", "role": "clerk",
                                          "password": "noch-laenger"})
    assert r.status_code == 303
    r = client.post("/api/v1/auth/token", json={"username": "neu", "password": "noch-laenger"})
    assert r.status_code == 401          # not active: the box was left unticked


def test_matrix_shows_services_at_risk_and_saves_in_one_go(admin, api):
    page = admin.client.get("/admin/competencies?office=kfz&lang=en")
    assert 'class="at-risk"' not in page.text or "kfz" in page.text
    ticked = re.findall(r'value="([a-z]+:[a-z\-]+)"[^>]*checked', page.text)
    assert "mueller:kfz-zulassung" not in ticked
    r = admin.client.post("/admin/competencies", data={
        "csrf_token": csrf_token(page.text), "office": "kfz",
        "c": ticked + ["mueller:kfz-zulassung"]})
    assert r.status_code == 303
    api.sign_in("platz-4", "mueller", "kfz-zulassung", "anmeldung")
    entries = api.get("/admin/audit", who="admin").get_json()
    assert entries[0]["target"] == "staff:mueller"


def test_integration_services_show_at_risk(admin):
    page = admin.client.get("/admin/competencies?office=integration&lang=en")
    assert "Only one person or nobody can serve" not in page.text
    # Sabine Leitner (supervisor), Lina Haddad and Olena Kovalenko: two of them leave
    admin.submit("/admin/staff/kovalenko", {"name": "Olena Kovalenko", "role": "clerk"})
    admin.submit("/admin/staff/haddad", {"name": "Lina Haddad", "role": "clerk",
                                         "active": "on"})
    page = admin.client.get("/admin/competencies?office=integration&lang=en")
    assert "Only one person or nobody can serve" in page.text


def test_closure_checked_then_confirmed_mails_the_holder(admin, api, outbox):
    slot = api.get("/slots?services=kfz-zulassung").get_json()["slots"][0]
    booked = api.post("/appointments", {"services": ["kfz-zulassung"], "start": slot["start"],
                                        "name": "Ola", "email": "ola@example.org",
                                        "lang": "uk", "consent": True}).get_json()
    form = {"office": "kfz", "date": slot["start"][:10], "reason": "Umzug", "action": "check"}
    r = admin.submit("/admin/closures?lang=en", form)
    assert r.status_code == 200 and booked["code"] in r.text
    booking_mails = len(list(outbox.glob("*.eml")))
    r = admin.submit("/admin/closures", {**form, "action": "confirm"})
    assert r.status_code == 303
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in sorted(outbox.glob("*.eml"))]
    assert len(mails) == booking_mails + 1
    closure_mail = next(m for m in mails if "оберіть новий час" in m["Subject"])
    assert closure_mail["To"] == "ola@example.org"
    assert "/manage/" in closure_mail.get_body(("plain",)).get_content()
    page = admin.client.get("/admin/closures?lang=en")
    assert "Umzug" in page.text and "Public holiday" in page.text
    r = admin.submit("/admin/closures", {"office": "kfz", "date": "2020-01-01",
                                         "action": "check"})
    assert r.status_code == 422 and 'id="date-error"' in r.text


def test_opening_rules_preview_then_save(admin, api):
    form = {"rows": "1", "weekdays_0": ["5"], "start_0": "09:00", "end_0": "10:00",
            "parallel_desks_0": "1", "slot_minutes_0": "20", "every_n_weeks_0": "1"}
    r = admin.submit("/admin/offices/kfz/opening-rules?lang=en", {**form, "action": "preview"})
    assert r.status_code == 200 and "09:40" in r.text
    r = admin.submit("/admin/offices/kfz/opening-rules",
                     {**form, "end_0": "08:00", "action": "save"})
    assert r.status_code == 422 and "rules-0-end-error" in r.text
    r = admin.submit("/admin/offices/kfz/opening-rules", {**form, "action": "save"})
    assert r.status_code == 303
    rules = api.get("/admin/offices/kfz/opening-rules", who="admin").get_json()["rules"]
    assert [(x["weekdays"], x["start"]) for x in rules] == [([5], "09:00")]


def test_device_token_shown_once_and_revoked(admin, client):
    r = admin.submit("/admin/devices?lang=en", {"name": "kiosk-og", "kind": "kiosk",
                                                "zone": "og1"})
    token = re.search(r'id="new-token">([^<]+)<', r.text).group(1)
    assert client.get("/api/v1/desks", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 403     # a device, known
    assert token not in admin.client.get("/admin/devices").text
    # "Revoke" in the list only asks; a post without the confirmation changes nothing.
    assert 'href="/admin/devices/kiosk-og/revoke"' in admin.client.get("/admin/devices").text
    page = admin.client.get("/admin/devices/kiosk-og/revoke?lang=en")
    assert page.status_code == 200 and "Revoke kiosk-og" in page.text
    assert 'name="confirm" value="1"' in page.text
    r = admin.submit("/admin/devices", {}, action="/admin/devices/kiosk-og/revoke")
    assert r.status_code == 200 and "Revoke kiosk-og" in r.text
    assert client.get("/api/v1/desks", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 403
    r = admin.submit("/admin/devices", {"confirm": "1"},
                     action="/admin/devices/kiosk-og/revoke")
    assert r.status_code == 303
    assert client.get("/api/v1/desks", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert "revoked already" in admin.client.get("/admin/devices/kiosk-og/revoke?lang=en").text
    page = admin.client.get("/admin/audit?action=device.revoked&lang=en")
    assert "device:kiosk-og" in page.text


def test_settings_stored_act_at_once_and_the_environment_wins(admin, api, kiosk, app,
                                                              monkeypatch):
    r = admin.submit("/admin/settings?lang=en", {"CENTRE_NAME": "Bürgeramt Nord",
                                                 "RETENTION_DAYS": "0",
                                                 "KIOSK_IDLE_SECONDS": "90"})
    assert r.status_code == 422 and 'id="RETENTION_DAYS-error"' in r.text
    r = admin.submit("/admin/settings", {
        "CENTRE_NAME": "Bürgeramt Nord", "RETENTION_DAYS": "30",
        "CHECK_IN_EARLY_MINUTES": "30", "CHECK_IN_GRACE_MINUTES": "15",
        "KIOSK_IDLE_SECONDS": "90", "MAX_ACTIVE_BOOKINGS_PER_EMAIL": "2",
        "BOOKING_REQUIRES_CONFIRMATION": "on"})
    assert r.status_code == 303
    assert "Bürgeramt Nord" in kiosk.client.get("/kiosk/de/").text
    slot = api.get("/slots?services=anmeldung").get_json()["slots"][0]
    r = api.post("/appointments", {"services": ["anmeldung"], "start": slot["start"],
                                   "name": "A", "email": "a@example.org", "consent": True})
    assert r.get_json()["status"] == "reserved"
    entry = api.get("/admin/audit", who="admin").get_json()[0]
    assert entry["action"] == "settings.changed"
    assert entry["after"]["BOOKING_REQUIRES_CONFIRMATION"] is True
    monkeypatch.setenv("CENTRE_NAME", "Aus der Umgebung")
    app.config["CENTRE_NAME"] = "Aus der Umgebung"
    page = admin.client.get("/admin/settings?lang=en")
    assert "Set by the environment variable CENTRE_NAME" in page.text
    assert "Aus der Umgebung" in kiosk.client.get("/kiosk/de/").text


@pytest.mark.parametrize("form, field", [({"name": " ", "kind": "kiosk"}, "name"),
                                         ({"name": "a/b", "kind": "kiosk"}, "name"),
                                         ({"name": "kiosk-x", "kind": "toaster"}, "kind"),
                                         ({"name": "kiosk-x", "kind": "kiosk",
                                           "zone": "mars"}, "zone"),
                                         ({"name": "kiosk-eingang", "kind": "kiosk"}, "name")])
def test_device_form_errors_beside_their_field_nothing_registered(admin, form, field):
    before = admin.client.get("/admin/devices").text.count("<tr>")
    r = admin.submit("/admin/devices?lang=de", form)
    assert r.status_code in (409, 422)
    assert f'id="{field}-error"' in r.text and 'id="new-token"' not in r.text
    assert admin.client.get("/admin/devices").text.count("<tr>") == before


def test_device_moved_to_another_zone_on_the_page_as_through_the_api(admin, api, pages):
    r = admin.submit("/admin/devices?lang=en", {"zone": "og1"},
                     action="/admin/devices/board-eg/zone")
    assert r.status_code == 303
    page = admin.client.get("/admin/devices?lang=en").text
    assert "Device board-eg moved." in page
    assert api.get("/admin/devices/board-eg", who="leitung").get_json()["zone"] == "og1"
    entry = api.get("/admin/audit?action=device.moved", who="admin").get_json()[0]
    assert entry["actor"] == "admin" and entry["after"] == {"zone": "og1"}
    r = admin.submit("/admin/devices?lang=en", {"zone": "mars"},
                     action="/admin/devices/board-eg/zone")
    assert r.status_code == 422 and "There is no such zone." in r.text
    assert api.get("/admin/devices/board-eg", who="admin").get_json()["zone"] == "og1"


def _summary(text):
    """The error summary's links: [(target id, message)]."""
    block = re.search(r'<div class="error-summary" id="error-summary"[^>]*tabindex="-1".*?</div>',
                      text, re.S)
    assert block, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block.group(0))


def test_settings_show_every_problem_beside_its_field_and_in_a_summary(admin):
    r = admin.submit("/admin/settings", {"CENTRE_NAME": "", "RETENTION_DAYS": "99999",
                                         "CHECK_IN_EARLY_MINUTES": "30",
                                         "CHECK_IN_GRACE_MINUTES": "15",
                                         "KIOSK_IDLE_SECONDS": "1",
                                         "MAX_ACTIVE_BOOKINGS_PER_EMAIL": "3"})
    assert r.status_code == 422
    for key in ("CENTRE_NAME", "RETENTION_DAYS", "KIOSK_IDLE_SECONDS"):
        assert re.search(rf'id="{key}"[^>]*aria-invalid="true"', r.text, re.S), key
        assert f'id="{key}-error"' in r.text
    links = _summary(r.text)
    assert [target for target, _ in links] == ["CENTRE_NAME", "RETENTION_DAYS",
                                               "KIOSK_IDLE_SECONDS"]
    # German on a German page, with the setting's own range.
    assert dict(links)["RETENTION_DAYS"] == "Eine ganze Zahl von 1 bis 3650."
    assert dict(links)["CENTRE_NAME"] == "1 bis 120 Zeichen, in einer Zeile."
    assert 'src="/static/js/admin_errors.js"' in r.text and "<script>" not in r.text


@pytest.mark.parametrize("path, fields", [
    ("/admin/services/new", ["code", "prefix", "names", "office"]),
    ("/admin/desks/new", ["code", "name", "zone"]),
    ("/admin/zones/new", ["code", "names"]),
    ("/admin/offices/new", ["code", "names"]),
    ("/admin/staff/new", ["username", "role", "password"])])
def test_an_empty_form_names_every_missing_field(admin, path, fields):
    form = {"duration_minutes": "15", "target_wait_minutes": "30"} \
        if "services" in path else {}
    r = admin.submit(path, form)
    assert r.status_code == 422
    for field in fields:
        assert f'id="{field}-error"' in r.text, field
    targets = [target for target, _ in _summary(r.text)]
    assert targets == [{"names": "name_de"}.get(f, f) for f in fields]
    assert "Ein deutscher Name ist nötig." in r.text or "names" not in fields
    assert "Bitte eine Rolle aus der Liste wählen." in r.text or "role" not in fields


def test_minutes_out_of_range_said_in_the_pages_language(admin):
    r = admin.submit("/admin/services/new?lang=de", {**SERVICE_FORM, "duration_minutes": "999"})
    assert r.status_code == 422 and "Ganze Minuten von 1 bis 480." in r.text
    r = admin.submit("/admin/services/new?lang=en", {**SERVICE_FORM, "duration_minutes": "999"})
    assert "Give whole minutes from 1 to 480." in r.text


def test_devices_page_says_kinds_and_zones_in_the_pages_language(admin):
    admin.submit("/admin/devices", {"name": "board-og", "kind": "display", "zone": "og1"})
    page = admin.client.get("/admin/devices?lang=en").text
    rows = re.findall(r"<tr><td>board-og</td><td>([^<]+)</td>", page)
    assert rows == ["Display board"]
    assert ">First floor<" in page and ">1. Obergeschoss<" not in page
    page = admin.client.get("/admin/devices?lang=de").text
    assert re.findall(r"<tr><td>board-og</td><td>([^<]+)</td>", page) == ["Anzeigetafel"]
    assert '<option value="kiosk">Kiosk</option>' in page


def test_closure_without_a_date_says_a_date_is_needed_with_every_other_problem(admin):
    r = admin.submit("/admin/closures?lang=en", {"office": "kfz", "date": "", "from": "10:00",
                                                 "reason": "x" * 201})
    assert r.status_code == 422
    assert "A date is needed." in r.text and "YYYY-MM-DD" not in r.text
    for field in ("date", "to", "reason"):
        assert f'id="{field}-error"' in r.text, field


def test_offices_page_names_each_desks_zone(admin):
    page = admin.client.get("/admin/offices?lang=en").text
    desks = page[page.index('id="desks-heading"'):]
    assert "<td>Ground floor</td>" in desks and "<td>eg</td>" not in desks
