"""A page someone may not open, or an address that does not exist, answers with a short
page in their language and a way back, not a bare server error; the API keeps JSON."""


def test_a_clerk_on_the_floor_view_gets_a_page_in_german_with_a_way_back(pages):
    pages.login("mueller")
    r = pages.client.get("/floor", headers={"Accept-Language": "de"})
    assert r.status_code == 403
    assert "Kein Zugriff" in r.text and 'href="/"' in r.text
    assert "Forbidden" not in r.text


def test_a_mistyped_manage_link_is_a_page_in_the_visitors_language(client):
    r = client.get("/manage/not-a-real-token?lang=tr")
    assert r.status_code == 404
    assert "Sayfa bulunamadı" in r.text and 'lang="tr"' in r.text
    arabic = client.get("/t/no-such-ticket?lang=ar")
    assert arabic.status_code == 404 and 'dir="rtl"' in arabic.text


def test_the_api_still_answers_json(client):
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.get_json()["error"]["code"] == "not_found"
    assert client.get("/display/no-zone/state.json").status_code == 404


def test_a_form_too_large_is_a_short_page_in_the_pages_language_and_json_on_the_api(
        app, pages, api):
    from queue_app.extensions import db
    from queue_app.models import Service
    pages.login("admin")
    form = pages.client.get("/admin/services/anmeldung?lang=de")
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    r = pages.client.post("/admin/services/anmeldung?lang=de",
                          data={"name_de": big, "prefix": "A"})
    assert r.status_code == 413 and form.status_code == 200
    assert "Zu viel auf einmal" in r.text and 'lang="de"' in r.text
    assert "Request Entity Too Large" not in r.text
    r = pages.client.post("/admin/services/anmeldung?lang=en", data={"name_de": big})
    assert r.status_code == 413 and "Too much at once" in r.text
    with app.app_context():
        assert db.session.scalar(db.select(Service.names).where(
            Service.code == "anmeldung"))["de"] != big
    r = api.client.post("/api/v1/admin/services", data="x" * 70_000,
                        content_type="application/json", headers=api.auth("admin"))
    assert r.status_code == 413
    assert r.get_json()["error"]["code"] == "request_entity_too_large"
