"""The clerk's desk page: login, desk and services, call, serve, hand on."""
import re

from tests.helpers import Pages, csrf_token


def _clerk(app, username="mueller"):
    clerk = Pages(app.test_client())
    assert clerk.login(username).status_code == 302
    return clerk


def test_pages_need_a_login_and_the_right_role(app, client):
    r = client.get("/desk/")
    assert r.status_code == 302 and "/login" in r.location
    admin = _clerk(app, "admin")
    assert admin.client.get("/desk/").status_code == 403
    clerk = _clerk(app)
    assert clerk.client.get("/floor").status_code == 403


def test_wrong_password_is_a_401_with_a_message(pages):
    r = pages.login("mueller", "wrong-password")
    assert r.status_code == 401
    assert "Unbekannter Benutzername oder falsches Passwort." in r.text


def test_login_refuses_a_post_without_csrf_token(client):
    r = client.post("/login", data={"username": "mueller", "password": "demo-passwort"})
    assert r.status_code == 400


def test_only_competent_services_are_offered_and_accepted(app):
    clerk = _clerk(app, "mueller")
    page = clerk.client.get("/desk/").text
    assert 'value="anmeldung"' in page and 'value="kfz-zulassung"' not in page
    r = clerk.sign_in_at("platz-3", "kfz-zulassung")
    assert r.status_code == 403
    assert "nur Dienstleistungen wählen, für die Sie zuständig sind" in r.text
    assert clerk.client.get("/desk/platz-3").status_code == 302  # still not signed in


def test_an_occupied_desk_is_a_409(app):
    assert _clerk(app, "mueller").sign_in_at("platz-3", "anmeldung").status_code == 303
    other = _clerk(app, "yilmaz")
    r = other.sign_in_at("platz-3", "anmeldung")
    assert r.status_code == 409


def test_a_whole_visit_from_the_desk_page(app, api):
    ticket = api.issue("anmeldung", "personalausweis", lang="ar")
    clerk = _clerk(app)
    assert clerk.sign_in_at("platz-3", "anmeldung", "personalausweis").status_code == 303
    page = clerk.client.get("/desk/platz-3").text
    assert '<li data-service="anmeldung"><span>Wohnsitz anmelden</span> <strong class="count">1'\
        in page

    r = clerk.desk_post("/desk/platz-3/call-next")
    assert r.status_code == 303
    page = clerk.client.get("/desk/platz-3?lang=en").text
    assert ticket["number"] in page
    assert "Arabic" in page                    # the visitor's language, named for the clerk
    assert "no appointment (walk-in)" in page
    assert "waited longest" in page            # why this visitor was chosen
    assert "Apply for an ID card" in page      # still to do
    assert api.get(f"/tickets/{ticket['id']}").get_json()["status"] == "called"

    base = f"/desk/platz-3/tickets/{ticket['id']}"
    assert clerk.desk_post(f"{base}/start").status_code == 303
    assert clerk.desk_post(f"{base}/finish").status_code == 303
    after = api.get(f"/tickets/{ticket['id']}").get_json()
    assert after["status"] == "waiting" and after["current_service"] == "personalausweis"
    assert clerk.desk_post("/desk/platz-3/call-next").status_code == 303
    assert clerk.desk_post(f"{base}/transfer", {"service": "meldebescheinigung"}).status_code \
        == 303
    moved = api.get(f"/tickets/{ticket['id']}").get_json()
    assert moved["current_service"] == "meldebescheinigung"


def test_park_and_resume_from_the_desk_page(app, api):
    ticket = api.issue("anmeldung")
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung")
    clerk.desk_post("/desk/platz-3/call-next")
    base = f"/desk/platz-3/tickets/{ticket['id']}"
    assert clerk.desk_post(f"{base}/park").status_code == 303
    page = clerk.client.get("/desk/platz-3").text
    assert "Geparkt" in page and "Zurück in die Warteschlange" in page
    assert clerk.desk_post(f"{base}/resume").status_code == 303
    assert api.get(f"/tickets/{ticket['id']}").get_json()["status"] == "waiting"


def test_calling_with_nobody_waiting_says_so(app):
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung")
    r = clerk.desk_post("/desk/platz-3/call-next")
    assert r.status_code == 303
    assert "Für Ihre Dienstleistungen wartet niemand." in clerk.client.get(r.location).text


def test_a_second_call_while_serving_is_a_409_and_changes_nothing(app, api):
    first = api.issue("anmeldung")
    second = api.issue("anmeldung")
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung")
    clerk.desk_post("/desk/platz-3/call-next")
    r = clerk.desk_post("/desk/platz-3/call-next")
    assert r.status_code == 409
    assert api.get(f"/tickets/{first['id']}").get_json()["status"] == "called"
    assert api.get(f"/tickets/{second['id']}").get_json()["status"] == "waiting"


def test_acting_on_someone_elses_ticket_is_a_403(app, api):
    ticket = api.issue("anmeldung")
    mueller = _clerk(app)
    mueller.sign_in_at("platz-3", "anmeldung")
    mueller.desk_post("/desk/platz-3/call-next")
    yilmaz = _clerk(app, "yilmaz")
    yilmaz.sign_in_at("platz-4", "anmeldung")
    r = yilmaz.desk_post(f"/desk/platz-4/tickets/{ticket['id']}/finish")
    assert r.status_code == 403
    assert api.get(f"/tickets/{ticket['id']}").get_json()["status"] == "called"


def test_sign_out_closes_the_session(app):
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung")
    r = clerk.desk_post("/desk/platz-3/sign-out")
    assert r.status_code == 303 and r.location.endswith("/desk/")
    assert clerk.client.get("/desk/platz-3").status_code == 302


def test_logout_revokes_the_session_token(app):
    clerk = _clerk(app)
    page = clerk.client.get("/desk/")
    r = clerk.client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert r.status_code == 302
    assert clerk.client.get("/desk/").status_code == 302


def test_login_only_redirects_within_the_site(app):
    clerk = Pages(app.test_client())
    r = clerk.submit("/login?next=//evil.example/", {"username": "mueller",
                                                     "password": "demo-passwort",
                                                     "next": "//evil.example/"})
    assert r.status_code == 302 and r.location.endswith("/desk/")


def test_not_present_asks_first_and_every_action_says_what_happened(app, api):
    first = api.issue("anmeldung", "kfz-zulassung")
    second = api.issue("anmeldung")
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung")
    clerk.desk_post("/desk/platz-3/call-next")
    base = f"/desk/platz-3/tickets/{first['id']}"
    ask = clerk.desk_post(f"{base}/no-show")
    assert ask.status_code == 200 and "als nicht erschienen markieren?" in ask.text
    assert api.get(f"/tickets/{first['id']}").get_json()["status"] == "called"
    r = clerk.desk_post(f"{base}/recall")
    assert "erneut aufgerufen" in clerk.client.get(r.location).text
    r = clerk.desk_post(f"{base}/finish")
    assert f"{first['number']} hier fertig; wartet jetzt auf Fahrzeug zulassen." in \
        clerk.client.get(r.location).text
    clerk.desk_post("/desk/platz-3/call-next")
    base = f"/desk/platz-3/tickets/{second['id']}"
    r = clerk.desk_post(f"{base}/no-show", {"confirmed": "1"})
    assert r.status_code == 303
    assert "als nicht erschienen markiert" in clerk.client.get(r.location).text
    assert api.get(f"/tickets/{second['id']}").get_json()["status"] == "no_show"


def test_transfer_lists_only_services_open_now_without_a_default(app, api):
    ticket = api.issue("anmeldung")
    api.sign_in("platz-4", "schmidt", "kfz-zulassung")
    clerk = _clerk(app)
    clerk.sign_in_at("platz-3", "anmeldung", "reisepass")
    clerk.desk_post("/desk/platz-3/call-next")
    page = clerk.client.get("/desk/platz-3?lang=en").text
    options = re.findall(r'<option value="([^"]*)"( selected)?>', page)
    assert options == [("", " selected"), ("reisepass", ""), ("kfz-zulassung", "")]
    base = f"/desk/platz-3/tickets/{ticket['id']}"
    empty = clerk.desk_post(f"{base}/transfer", {"service": ""})
    assert empty.status_code == 422 and "Choose the service to hand on to." in empty.text
    assert api.get(f"/tickets/{ticket['id']}").get_json()["status"] == "called"
    r = clerk.desk_post(f"{base}/transfer", {"service": "kfz-zulassung"})
    assert "handed on to Register a vehicle." in clerk.client.get(r.location).text
