"""The kiosk as a visitor uses it: language, errands, what to bring, priority, ticket."""
import re

from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import Visit
from tests.helpers import Pages, csrf_token


def _visits(app):
    with app.app_context():
        count = db.session.scalar(select(func.count(Visit.id)))
        db.session.remove()
        return count


def test_a_browser_that_is_not_a_kiosk_is_sent_to_device_setup(client):
    r = client.get("/kiosk/")
    assert r.status_code == 302 and r.location.endswith("/device/setup")


def test_device_setup_refuses_a_staff_or_unknown_token(app, pages, api):
    r = pages.set_up_device("not-a-token")
    assert r.status_code == 401
    assert pages.set_up_device(api.token("mueller")).status_code == 401
    assert pages.client.get("/kiosk/").status_code == 302


def test_device_setup_without_csrf_token_is_refused(client):
    r = client.post("/device/setup", data={"token": "demo-kiosk-token"})
    assert r.status_code == 400
    assert client.get("/kiosk/").status_code == 302


def test_start_screen_names_every_language_in_itself(kiosk):
    html = kiosk.client.get("/kiosk/").text
    for name in ("Deutsch", "English", "Türkçe", "العربية", "Українська"):
        assert name in html
    assert '<span lang="ar" dir="rtl">أهلًا وسهلًا! يرجى اختيار لغتك.</span>' in html


def test_services_are_grouped_by_office_in_the_visitors_language(kiosk):
    html = kiosk.client.get("/kiosk/ar/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل عنوان السكن" in html            # residents' registration, in Arabic
    assert html.count("<legend>") == 4             # one group per office
    # Appointment-only services are shown, but cannot be chosen.
    assert 'value="aufenthalt-verlaengern"' not in html
    assert "بموعد فقط" in html


def test_confirm_lists_what_to_bring_and_asks_about_priority(kiosk):
    r = kiosk.client.get("/kiosk/en/confirm?service=anmeldung&service=kfz-zulassung")
    assert r.status_code == 200
    assert "Please have these ready" in r.text
    assert "ID card or passport" in r.text
    for reason in ("elderly", "disability", "pregnancy", "children"):
        assert f'value="{reason}"' in r.text


def test_arabic_ticket_with_two_errands_and_a_qr_code(app, kiosk):
    r = kiosk.take_ticket("ar", "anmeldung", "kfz-zulassung", priority="children")
    assert r.status_code == 303
    page = kiosk.client.get(r.location)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "A001" in page.text and "رقمك" in page.text
    assert '<svg role="img"' in page.text and "/t/" in page.text
    assert page.text.count("بطاقة الهوية أو جواز السفر") == 1  # both errands need it
    with app.app_context():
        visit = db.session.scalar(select(Visit))
        assert (visit.lang, visit.priority, visit.number) == ("ar", "children", "A001")
        assert [s.service.code for s in visit.steps] == ["anmeldung", "kfz-zulassung"]
        assert visit.issued_by_device_id is not None
        db.session.remove()


def test_a_double_tap_on_take_ticket_gives_one_ticket(app, kiosk):
    confirm = kiosk.client.get("/kiosk/de/confirm?service=anmeldung")
    data = {"csrf_token": csrf_token(confirm.text),
            "key": re.search(r'name="key" value="([^"]+)"', confirm.text).group(1),
            "service": ["anmeldung"], "priority": ""}
    first = kiosk.client.post("/kiosk/de/ticket", data=data)
    second = kiosk.client.post("/kiosk/de/ticket", data=data)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert _visits(app) == 1


def test_no_errand_chosen_is_a_clear_422_and_issues_nothing(app, kiosk):
    r = kiosk.client.get("/kiosk/de/confirm")
    assert r.status_code == 422
    assert "Bitte wählen Sie mindestens ein Anliegen." in r.text
    assert _visits(app) == 0


def test_appointment_only_or_unknown_services_are_refused(app, kiosk):
    for query in ("service=aufenthalt-verlaengern", "service=nope"):
        assert kiosk.client.get(f"/kiosk/en/confirm?{query}").status_code == 422
    r = kiosk.take_ticket("en", "anmeldung")  # a valid ticket for comparison
    assert r.status_code == 303
    confirm = kiosk.client.get("/kiosk/en/confirm?service=anmeldung")
    bad = kiosk.client.post("/kiosk/en/ticket", data={
        "csrf_token": csrf_token(confirm.text), "key": "abcdefgh12",
        "service": ["aufenthalt-verlaengern"], "priority": ""})
    assert bad.status_code == 422
    odd = kiosk.client.post("/kiosk/en/ticket", data={
        "csrf_token": csrf_token(confirm.text), "key": "abcdefgh13",
        "service": ["anmeldung"], "priority": "vip"})
    assert odd.status_code == 422
    assert _visits(app) == 1


def test_unsupported_language_is_404(kiosk):
    assert kiosk.client.get("/kiosk/xx/").status_code == 404


def test_check_in_answers_malformed_and_unknown_codes_clearly(kiosk):
    page = kiosk.client.get("/kiosk/tr/check-in")
    assert page.status_code == 200 and "Randevu kodu" in page.text
    token = csrf_token(page.text)
    bad = kiosk.client.post("/kiosk/tr/check-in", data={"csrf_token": token, "code": "12"})
    assert bad.status_code == 422 and "K7F-3QX" in bad.text
    unknown = kiosk.client.post("/kiosk/tr/check-in",
                                data={"csrf_token": token, "code": "k7f 3qx"})
    assert unknown.status_code == 404
    assert "K7F3QX randevu kodunu bulamadık" in unknown.text


def test_the_ticket_page_needs_the_kiosk(app, kiosk):
    r = kiosk.take_ticket("de", "anmeldung")
    stranger = Pages(app.test_client())
    assert stranger.client.get(r.location).status_code == 302


def test_ticket_names_the_zone_where_the_first_errand_is_served(api, kiosk):
    first = kiosk.client.get(kiosk.take_ticket("ar", "anmeldung").location).text
    assert "يرجى متابعة الشاشات في منطقة الانتظار." in first   # no desk serves it yet
    api.sign_in("platz-3", "mueller", "anmeldung")
    second = kiosk.client.get(kiosk.take_ticket("ar", "anmeldung").location).text
    assert "يرجى الانتظار في: الطابق الأرضي" in second


def test_the_kiosk_uses_the_api_request_rules(app, kiosk):
    """Same limit on errands, same digest for a retried request as the API's TicketRequest."""
    from config import demo_centre
    from queue_app.api.schemas import MAX_SERVICES, TicketRequest

    walk_in = [s["code"] for s in demo_centre.SERVICES if s["walk_in"]]
    query = "&".join(f"service={c}" for c in walk_in[:MAX_SERVICES + 1])
    too_many = kiosk.client.get(f"/kiosk/en/confirm?{query}")
    assert too_many.status_code == 422
    assert f"at most {MAX_SERVICES} errands" in too_many.text
    assert kiosk.take_ticket("tr", "anmeldung", "reisepass", priority="elderly").status_code == 303
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        expected = TicketRequest(services=["anmeldung", "reisepass"], lang="tr",
                                 priority="elderly").digest()
        assert visit.request_digest == expected
        db.session.remove()
