"""The plain status page a ticket's track_url points to."""


def test_track_page_in_the_visitors_language_and_direction(api):
    t = api.issue("anmeldung", "kfz-zulassung", lang="ar")
    page = api.client.get(f"/t/{t['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert t["number"] in html
    assert "تسجيل عنوان السكن" in html and "تسجيل مركبة" in html


def test_track_page_left_to_right_for_german(api):
    t = api.issue("anmeldung", lang="de")
    html = api.client.get(f"/t/{t['id']}").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in html
    assert "Wohnsitz anmelden" in html


def test_unknown_ticket_page_is_404(api):
    assert api.client.get("/t/nope").status_code == 404


def test_phone_page_says_your_turn_in_the_visitors_language(api):
    t = api.issue("anmeldung", lang="uk")
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.call_next("platz-3", "mueller")
    part = api.client.get(f"/t/{t['id']}/status").text
    assert "Ваша черга!" in part and "Platz 3" in part
    assert 'data-status="called"' in part


def test_phone_page_tells_where_to_go_next_after_a_step(api):
    t = api.issue("anmeldung", "kfz-zulassung", lang="tr")
    api.sign_in("platz-3", "yilmaz", "anmeldung")
    api.call_next("platz-3", "yilmaz")
    api.act(t["id"], "finish", "yilmaz")
    part = api.client.get(f"/t/{t['id']}/status").text
    assert "Sıradaki: Araç tescili. Lütfen numaranız tekrar çağrılana kadar bekleyin." in part


def test_phone_page_can_switch_language_and_shows_the_wait(api):
    api.sign_in("platz-3", "mueller", "anmeldung")
    first = api.issue("anmeldung", lang="ar")
    api.issue("anmeldung")
    t = api.issue("anmeldung", lang="ar")
    html = api.client.get(f"/t/{t['id']}?lang=en").text
    assert '<html lang="en" dir="ltr">' in html
    assert "Your place in the queue" in html
    minutes = t["estimated_wait_minutes"]
    assert minutes > 1 and f"about {minutes} minutes" in html
    assert "very soon" in api.client.get(f"/t/{first['id']}?lang=en").text
    assert api.client.get(f"/t/{t['id']}?lang=xx").text.count('lang="ar" dir="rtl"') == 1


def test_phone_page_says_no_desk_is_open_instead_of_very_soon(api):
    t = api.issue("anmeldung", lang="en")
    part = api.client.get(f"/t/{t['id']}/status").text
    assert "no desk open for this yet" in part and "very soon" not in part
    assert "noch kein Schalter" in api.client.get(f"/t/{t['id']}/status?lang=de").text
    api.sign_in("platz-3", "mueller", "anmeldung")
    assert "very soon" in api.client.get(f"/t/{t['id']}/status").text


def test_phone_page_names_the_centre_and_switches_errand_names_with_the_language(api):
    t = api.issue("anmeldung", "kfz-zulassung", lang="ar")
    html = api.client.get(f"/t/{t['id']}?lang=de").text
    assert "Anlaufstelle" in html.split("<h1")[0].split("<main")[1]
    assert '<span lang="de">Wohnsitz anmelden</span>' in html
    assert '<span lang="de">Fahrzeug zulassen</span>' in html
    assert "تسجيل" not in html


def test_every_step_names_its_waiting_area(api):
    """P001's third errand is served upstairs: the phone page and the kiosk ticket say so."""
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.sign_in("platz-9", "haddad", "integrationskurs")
    t = api.issue("anmeldung", "kfz-zulassung", "integrationskurs", lang="en")
    part = api.client.get(f"/t/{t['id']}/status").text
    assert "Please wait in: Ground floor" in part
    assert part.count("Waiting area: Ground floor") == 1      # no desk for vehicles yet
    assert "Waiting area: First floor" in part
    # Once served upstairs today, the place stays known while no desk there is open.
    other = api.issue("integrationskurs", lang="en")
    assert api.call_next("platz-9", "haddad").get_json()["id"] == other["id"]
    api.act(other["id"], "finish", "haddad")
    assert api.delete("/desks/platz-9/session", who="haddad").status_code == 204
    assert "Waiting area: First floor" in api.client.get(f"/t/{t['id']}/status").text
    assert "First floor" not in api.client.get(
        f"/t/{api.issue('willkommensberatung', lang='en')['id']}/status").text


def test_leave_the_queue_from_the_phone_asks_once(api, client):
    from tests.helpers import csrf_token
    api.sign_in("platz-3", "mueller", "anmeldung")
    first = api.issue("anmeldung", "kfz-zulassung", lang="en")
    second = api.issue("anmeldung", lang="en")
    assert second["position"] == 2
    ask = client.get(f"/t/{first['id']}/leave?lang=en")
    assert ask.status_code == 200 and "Leave the queue?" in ask.text
    assert api.get(f"/tickets/{first['id']}").get_json()["status"] == "waiting"  # GET asks
    done = client.post(f"/t/{first['id']}/leave?lang=en",
                       data={"csrf_token": csrf_token(ask.text)})
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).text
    assert "You have left the queue." in page and "Leave the queue" not in page
    left = api.get(f"/tickets/{first['id']}").get_json()
    assert left["status"] == "left" and [s["status"] for s in left["steps"]] == [
        "left", "skipped"]
    assert api.get(f"/tickets/{second['id']}").get_json()["position"] == 1
    again = client.post(f"/t/{first['id']}/leave?lang=en",
                        data={"csrf_token": csrf_token(ask.text)})
    assert again.status_code == 409 and "only while you are waiting" in again.text


def _served(api, t):
    api.sign_in("platz-3", "mueller", "anmeldung")
    api.call_next("platz-3", "mueller")
    api.act(t["id"], "start", "mueller")
    api.act(t["id"], "finish", "mueller")


def test_phone_page_asks_once_how_the_visit_was(api):
    from tests.helpers import csrf_token
    t = api.issue("anmeldung", lang="tr")
    waiting = api.client.get(f"/t/{t['id']}").text
    assert 'id="feedback-ask"' not in waiting
    _served(api, t)
    page = api.client.get(f"/t/{t['id']}").text
    assert "Ziyaretiniz nasıldı?" in page
    form = {"csrf_token": csrf_token(page), "rating": "5", "comment": "Çok iyi"}
    sent = api.client.post(f"/t/{t['id']}/feedback", data=form)
    assert sent.status_code == 303
    thanks = api.client.get(sent.headers["Location"]).text
    assert 'id="feedback-ask"' not in thanks and "Geri bildiriminiz için teşekkürler" in thanks
    again = api.client.post(f"/t/{t['id']}/feedback", data=form)
    assert again.status_code == 409
    rows = api.get("/reports/feedback", who="leitung").get_json()
    assert next(r for r in rows if r["service"] == "anmeldung")["count"] == 1


def test_phone_feedback_form_refuses_a_missing_rating_in_the_visitors_language(api):
    from tests.helpers import csrf_token
    t = api.issue("anmeldung", lang="uk")
    _served(api, t)
    page = api.client.get(f"/t/{t['id']}").text
    bad = api.client.post(f"/t/{t['id']}/feedback", data={"csrf_token": csrf_token(page)})
    assert bad.status_code == 422
    assert 'id="feedback-ask"' in bad.text and 'role="alert"' in bad.text
    assert '<html lang="uk"' in bad.text
