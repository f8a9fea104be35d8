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
