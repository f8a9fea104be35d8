"""The residents' pages: choose, pick a time from the list, details and consent, manage."""
import re
from html import unescape

from sqlalchemy import func, select

from queue_app.extensions import db
from queue_app.models import Appointment
from tests.helpers import csrf_token


def _details_link(client, *services, lang="de"):
    query = "&".join(f"service={s}" for s in services)
    page = client.get(f"/book/times?{query}&lang={lang}")
    assert page.status_code == 200
    return unescape(re.search(r'href="(/book/details[^"]+)"', page.text).group(1))


def _book(client, link, **form):
    page = client.get(link)
    data = {"csrf_token": csrf_token(page.text), "name": "Mia Berger",
            "email": "mia@example.org", "consent": "yes",
            "start": re.search(r'name="start" value="([^"]+)"', page.text).group(1),
            "service": re.findall(r'name="service" value="([^"]+)"', page.text), **form}
    return client.post("/book/details", data=data)


def _count(app):
    with app.app_context():
        n = db.session.scalar(select(func.count(Appointment.id)))
        db.session.remove()
        return n


def test_book_in_german_from_list_to_confirmation(app, client):
    start = client.get("/book/?lang=de")
    assert start.status_code == 200 and "Termin buchen" in start.text
    assert 'value="anmeldung"' in start.text and "Was Sie mitbringen" in start.text
    times = client.get("/book/times?service=anmeldung&service=personalausweis")
    assert 'class="calendar"' in times.text and "<ul class=\"times\"" in times.text
    r = _book(client, _details_link(client, "anmeldung", "personalausweis"))
    assert r.status_code == 303 and "/manage/" in r.location
    page = client.get(r.location).text
    assert "Ihr Termin ist gebucht." in page
    code = re.search(r'class="code" dir="ltr">([A-Z0-9-]{7})<', page).group(1)
    assert "Wohnsitz anmelden, Personalausweis beantragen" in page
    assert "In den Kalender eintragen" in page and "/ics" in page
    assert _count(app) == 1 and len(code) == 7


def test_no_consent_no_booking(app, client):
    r = _book(client, _details_link(client, "anmeldung", lang="en"), consent="")
    assert r.status_code == 422 and "Please agree to the privacy notice." in r.text
    assert _count(app) == 0


def test_a_taken_time_sends_the_resident_back_to_the_list(app, client):
    link = _details_link(client, "integrationskurs", lang="en")
    assert _book(client, link).status_code == 303          # the office books one at a time
    r = _book(client, link, email="other@example.org")
    assert r.status_code == 409
    assert "Sorry, this time has just been taken." in r.text and 'class="times"' in r.text
    assert _count(app) == 1


def test_manage_moves_and_cancels(app, client):
    r = _book(client, _details_link(client, "anmeldung", lang="en"))
    manage = r.location.split("?")[0]
    token = manage.rsplit("/", 1)[1]
    times = client.get(f"/book/times?service=anmeldung&token={token}")
    assert "Your appointment now:" in times.text
    ask = unescape(re.findall(r'href="(/manage/[^"]+/reschedule[^"]+)"', times.text)[4])
    confirm = client.get(ask)
    assert confirm.status_code == 200 and "Move your appointment?" in confirm.text
    with app.app_context():
        assert db.session.scalar(select(Appointment.sequence)) == 0     # asking moves nothing
        db.session.remove()
    later = re.search(r'name="start" value="([^"]+)"', confirm.text).group(1)
    moved = client.post(f"/manage/{token}/reschedule",
                        data={"csrf_token": csrf_token(confirm.text), "start": later})
    assert moved.status_code == 303
    assert "Your appointment has been moved to" in client.get(moved.location).text
    with app.app_context():
        assert db.session.scalar(select(Appointment.sequence)) == 1
        db.session.remove()
    # The mail's "I can't come" link only asks; the button does it.
    ask = client.get(f"/manage/{token}/cant-come")
    assert ask.status_code == 200 and "Cancel your appointment?" in ask.text
    with app.app_context():
        assert db.session.scalar(select(Appointment.status)) == "booked"
        db.session.remove()
    done = client.post(f"/manage/{token}/cant-come", data={"csrf_token": csrf_token(ask.text)})
    assert done.status_code == 303
    after = client.get(manage).text
    assert ">cancelled<" in after
    assert "check in at the kiosk" not in after and "Book again" in after


def test_pages_refuse_forged_posts_and_unknown_links(client):
    assert client.post("/book/details", data={"start": "x"}).status_code == 400
    assert client.get("/manage/not-a-token").status_code == 404
    assert client.get("/book/times?service=anmeldung&service=kfz-zulassung").status_code == 422


def test_booking_keeps_the_choice_after_an_error_and_says_when_nothing_was_chosen(client):
    empty = client.get("/book/times?lang=en")
    assert empty.status_code == 422 and "Please choose at least one service." in empty.text
    mixed = client.get("/book/times?service=anmeldung&service=kfz-zulassung&lang=en")
    assert mixed.status_code == 422
    checked = re.findall(r'value="([a-z-]+)" checked', mixed.text)
    assert checked == ["anmeldung", "kfz-zulassung"]


def test_times_are_a_month_with_free_days_then_one_days_times(client):
    page = client.get("/book/times?service=anmeldung&lang=en").text
    assert "Step 2 of 3" in page
    free_days = re.findall(r'<td class="free"><a href="([^"]+)"', page)
    assert free_days and len(page.split('<ul class="times"')[1].split("</ul>")[0]
                             .split("<li>")) - 1 <= 30      # one day's times, not a week's
    # Each step has its way back, keeping what was chosen.
    assert '/book/?service=anmeldung' in page
    details = client.get(_details_link(client, "anmeldung", lang="en")).text
    back = r'href="/book/times\?service=anmeldung&amp;month=\d{4}-\d\d&amp;day='
    assert "Step 3 of 3" in details and re.search(back, details)
    assert "Step 1 of 3" in client.get("/book/?lang=en").text


def test_manage_page_shows_the_address_and_arabic_header_keeps_its_order(app, client):
    app.config["CENTRE_ADDRESS"] = "Marktplatz 1, 70173 Stuttgart"
    r = _book(client, _details_link(client, "anmeldung", lang="ar"))
    page = client.get(r.location.split("?")[0] + "?lang=ar").text
    assert "Marktplatz 1, 70173 Stuttgart" in page
    header = page.split('<ul class="lang-list"')[1].split("</ul>")[0]
    assert re.findall(r'lang="(\w+)" hreflang', header) == ["de", "en", "tr", "ar", "uk"]
    assert 'dir="ltr"' in header and 'dir="rtl"' in header
