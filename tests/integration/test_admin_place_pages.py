"""The office's pages for offices, zones and desks, and the desk chooser that follows a
desk's services: German and English, errors beside their fields, refusals with the
reason, supervisors read-only."""
import re

import pytest

from tests.helpers import Pages, csrf_token

PAGES = ["/admin/offices", "/admin/offices/new", "/admin/offices/kfz",
         "/admin/offices/kfz/delete", "/admin/zones/new", "/admin/zones/eg",
         "/admin/zones/eg/delete", "/admin/desks/new", "/admin/desks/platz-1",
         "/admin/desks/platz-1/delete"]
DESK_FORM = {"code": "platz-20", "name": "Platz 20", "zone": "eg", "service": ["anmeldung"],
             "active": "on"}


@pytest.fixture
def admin(pages):
    assert pages.login("admin").status_code == 302
    return pages


@pytest.mark.parametrize("lang, words", [
    ("de", ("Ämter, Wartebereiche und Plätze", "Änderungsprotokoll")),
    ("en", ("Offices, zones and desks", "Audit log"))])
def test_every_place_page_renders_in_german_and_english(admin, lang, words):
    for path in PAGES:
        r = admin.client.get(f"{path}?lang={lang}")
        assert r.status_code == 200, (path, r.status_code)
        assert f'lang="{lang}"' in r.text and words[1] in r.text, path
        assert "<script>" not in r.text and " on" + "click=" not in r.text
    assert words[0] in admin.client.get(f"/admin/offices?lang={lang}").text


def test_overview_shows_what_each_desk_offers(admin):
    page = admin.client.get("/admin/offices?lang=en").text
    row = re.search(r'platz-13</a>.*?</tr>', page, re.S).group(0)
    assert "Integration course advice" in row and "Welcome counselling" in row
    assert "every service" not in row
    assert "every service" in re.search(r'platz-1</a>.*?</tr>', page, re.S).group(0)


def test_desk_created_with_one_service_then_errors_beside_fields(admin, api):
    r = admin.submit("/admin/desks/new?lang=en", {**DESK_FORM, "zone": "keller"})
    assert r.status_code == 422
    assert re.search(r'id="zone"[^>]*aria-invalid="true"', r.text) and 'id="zone-error"' in r.text
    r = admin.submit("/admin/desks/new?lang=en", DESK_FORM)
    assert r.status_code == 303 and r.location.endswith("/admin/desks/platz-20")
    desk = api.get("/admin/desks/platz-20", who="admin").get_json()
    assert desk["services"] == ["anmeldung"] and desk["zone"] == "eg"
    page = admin.client.get("/admin/desks/platz-20?lang=en").text
    assert re.search(r'value="anmeldung" checked', page) and "desk.created" in page
    # Untick everything: the desk offers every service again, and the history says so.
    r = admin.submit("/admin/desks/platz-20", {"name": "Platz 20", "zone": "eg",
                                               "active": "on"})
    assert r.status_code == 303
    assert api.get("/admin/desks/platz-20", who="admin").get_json()["offers_all"]


def test_office_and_zone_forms_create_change_and_delete(admin, api):
    r = admin.submit("/admin/offices/new", {"code": "kfz", "name_de": "Doppelt"})
    assert r.status_code == 409 and 'id="code-error"' in r.text
    r = admin.submit("/admin/offices/new", {"code": "standesamt", "name_en": "Registry"})
    assert r.status_code == 422 and 'id="names-error"' in r.text
    r = admin.submit("/admin/offices/new", {"code": "standesamt", "name_de": "Standesamt"})
    assert r.status_code == 303
    r = admin.submit("/admin/zones/new", {"code": "og2", "name_de": "2. OG",
                                          "name_en": "Second floor"})
    assert r.status_code == 303
    assert api.get("/admin/zones/og2", who="admin").get_json()["names"]["en"] == "Second floor"
    r = admin.submit("/admin/zones/og2", {"name_de": "2. Obergeschoss"})
    assert r.status_code == 303
    assert api.get("/admin/zones/og2", who="admin").get_json()["names"] == {
        "de": "2. Obergeschoss"}
    for path in ("/admin/offices/standesamt/delete", "/admin/zones/og2/delete"):
        assert admin.submit(path, {}).status_code == 303, path
    assert api.get("/admin/offices/standesamt", who="admin").status_code == 404


def test_delete_refused_with_the_reason_a_used_desk_is_switched_off(admin, api):
    page = admin.client.get("/admin/offices/kfz/delete?lang=en").text
    assert "cannot be deleted" in page and "Services belong to this office" in page
    page = admin.client.get("/admin/zones/eg/delete?lang=en").text
    assert "Desks or devices stand in this zone" in page
    api.sign_in("platz-2", "mueller", "anmeldung")
    assert api.delete("/desks/platz-2/session", who="mueller").status_code == 204
    page = admin.client.get("/admin/desks/platz-2/delete?lang=en").text
    assert "the reports need it" in page and "Switch off platz-2" in page
    r = admin.submit("/admin/desks/platz-2/delete", {"switch_off": "1"})
    assert r.status_code == 303
    assert api.get("/admin/desks/platz-2", who="admin").get_json()["active"] is False
    r = admin.submit("/admin/desks/platz-2/delete", {})
    assert r.status_code == 409


def test_supervisor_reads_every_place_page_but_cannot_change(pages, client, api):
    pages.login("leitung")
    r = client.get("/admin/desks/platz-1?lang=en")
    assert r.status_code == 200 and "<fieldset disabled" in r.text
    assert "New desk" not in client.get("/admin/offices?lang=en").text
    r = client.post("/admin/desks/platz-1", data={"csrf_token": csrf_token(r.text),
                                                  "name": "X", "zone": "eg"})
    assert r.status_code == 403
    form = client.get("/admin/desks/new").text
    r = client.post("/admin/desks/new", data={"csrf_token": csrf_token(form), **DESK_FORM})
    assert r.status_code == 403
    assert api.get("/admin/desks/platz-20", who="admin").status_code == 404
    assert api.get("/admin/desks/platz-1", who="admin").get_json()["name"] == "Platz 1"


def test_desk_chooser_disables_what_the_desk_or_the_clerk_lacks_with_the_reason(app, api):
    desk = {"code": "platz-20", "name": "Platz 20", "zone": "eg",
            "services": ["anmeldung", "kfz-zulassung"]}
    assert api.post("/admin/desks", desk, who="admin").status_code == 201
    clerk = Pages(app.test_client())
    clerk.login("mueller")
    page = clerk.client.get("/desk/?desk=platz-20&lang=en").text
    # offered and competent: enabled; competent but not offered: disabled with the reason;
    # offered but not competent: shown, disabled, with the reason.
    assert re.search(r'value="anmeldung" aria-describedby="why-anmeldung"\s+checked\s*>', page)
    assert re.search(r'value="reisepass"[^>]*disabled', page)
    assert re.search(r'id="why-reisepass">\(not offered at this desk\)', page)
    assert re.search(r'value="kfz-zulassung"[^>]*disabled', page)
    assert re.search(r'id="why-kfz-zulassung">\(not among your competencies\)', page)
    # A desk with no list offers every service: nothing disabled but what the clerk lacks.
    page = clerk.client.get("/desk/?desk=platz-1&lang=en").text
    assert not re.search(r'value="reisepass"[^>]*disabled', page)
    assert re.search(r'data-service="kfz-zulassung" hidden', page)
    # The server refuses what the page would not offer.
    r = clerk.submit("/desk/?lang=en", {"desk": "platz-20", "service": ["reisepass"]},
                     action="/desk/?lang=en")
    assert r.status_code == 422 and "does not offer" in r.text
    r = clerk.submit("/desk/", {"desk": "platz-20", "service": ["anmeldung"]})
    assert r.status_code == 303 and r.location.endswith("/desk/platz-20")
