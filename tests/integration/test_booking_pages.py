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
    assert "<h2" in times.text and "<ul class=\"times\"" in times.text   # a list, per day
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
    later = re.findall(r'name="start" value="([^"]+)"', times.text)[4]
    moved = client.post(f"/manage/{token}/reschedule",
                        data={"csrf_token": csrf_token(times.text), "start": later})
    assert moved.status_code == 303
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
    assert ">cancelled<" in client.get(manage).text


def test_pages_refuse_forged_posts_and_unknown_links(client):
    assert client.post("/book/details", data={"start": "x"}).status_code == 400
    assert client.get("/manage/not-a-token").status_code == 404
    assert client.get("/book/times?service=anmeldung&service=kfz-zulassung").status_code == 422
