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
