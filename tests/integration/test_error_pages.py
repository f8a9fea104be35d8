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
