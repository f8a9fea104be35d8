"""`/` for newcomers: a small page linking every face of the centre, each link alive."""
import re


def test_landing_page_links_every_face(client):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    links = re.findall(r'<a href="(/[^"?]*)"', page.text)
    for wanted in ("/book/", "/kiosk/", "/display/eg", "/display/og1", "/desk/", "/floor",
                   "/admin/", "/api/v1/openapi.json"):
        assert wanted in links, wanted
    for link in links:
        assert client.get(link).status_code in (200, 302), link
    assert "Display board: First floor" in page.text
    assert "Anzeigetafel: 1. Obergeschoss" in client.get("/?lang=de").text


def test_staff_header_links_the_back_office_for_admins_and_supervisors(app, pages):
    pages.login("leitung")
    assert 'href="/admin/"' in pages.client.get("/floor").text
    clerk = pages.__class__(app.test_client())
    clerk.login("mueller")
    assert 'href="/admin/"' not in clerk.client.get("/desk/").text
