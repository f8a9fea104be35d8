"""Small actions the tests share, so each test states only what it cares about."""
import re
from datetime import datetime, timezone

from config import demo_centre

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
KIOSK_TOKEN = demo_centre.DEVICES[0]["token"]
PASSWORD = demo_centre.DEMO_PASSWORD


def morning_slot(slots):
    """The first of these slots that a morning rule gives (the registration office has 3
    desks in parallel then, but 2 on Thursday afternoons): which comes first depends on
    the time of day the test runs."""
    return next(s for s in slots if datetime.fromisoformat(s["start"]).weekday() != 3)


class Api:
    """The v1 API as a kiosk and demo staff use it, through any client with Flask's
    test-client interface."""

    def __init__(self, client):
        self.client = client
        self._tokens = {}

    def token(self, username):
        if username not in self._tokens:
            r = self.client.post("/api/v1/auth/token",
                                 json={"username": username, "password": PASSWORD})
            assert r.status_code == 201, r.get_json()
            self._tokens[username] = r.get_json()["token"]
        return self._tokens[username]

    def auth(self, who):
        if who is None:
            return {}
        token = KIOSK_TOKEN if who == "kiosk" else self.token(who)
        return {"Authorization": f"Bearer {token}"}

    def post(self, path, json=None, who=None, headers=None):
        return self.client.post(f"/api/v1{path}", json=json,
                                headers={**self.auth(who), **(headers or {})})

    def get(self, path, who=None):
        return self.client.get(f"/api/v1{path}", headers=self.auth(who))

    def delete(self, path, who=None):
        return self.client.delete(f"/api/v1{path}", headers=self.auth(who))

    def issue(self, *services, lang="de", priority=None, key=None):
        body = {"services": list(services), "lang": lang}
        if priority is not None:
            body["priority"] = priority
        headers = {"Idempotency-Key": key} if key else None
        r = self.post("/tickets", body, who="kiosk", headers=headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def sign_in(self, desk, who, *services):
        r = self.post(f"/desks/{desk}/session", {"services": list(services)}, who=who)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def call_next(self, desk, who):
        return self.post(f"/desks/{desk}/call-next", who=who)

    def act(self, ticket_id, action, who, json=None):
        return self.post(f"/tickets/{ticket_id}/{action}", json, who=who)


def csrf_token(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class Pages:
    """The pages as a person uses them: fetch a form, post it back with its CSRF token."""

    def __init__(self, client):
        self.client = client

    def submit(self, form_url, data, action=None):
        page = self.client.get(form_url)
        assert page.status_code == 200, page.status_code
        return self.client.post(action or form_url,
                                data={"csrf_token": csrf_token(page.text), **data})

    def set_up_device(self, token=KIOSK_TOKEN):
        return self.submit("/device/setup", {"token": token})

    def login(self, username, password=PASSWORD):
        return self.submit("/login", {"username": username, "password": password})

    def take_ticket(self, lang, *services, priority=""):
        """Kiosk: confirm screen, then the ticket; returns the ticket page response."""
        query = "&".join(f"service={s}" for s in services)
        confirm = self.client.get(f"/kiosk/{lang}/confirm?{query}")
        assert confirm.status_code == 200, confirm.status_code
        key = re.search(r'name="key" value="([^"]+)"', confirm.text).group(1)
        return self.client.post(f"/kiosk/{lang}/ticket", data={
            "csrf_token": csrf_token(confirm.text), "key": key, "service": list(services),
            "priority": priority})

    def sign_in_at(self, desk, *services):
        return self.submit("/desk/", {"desk": desk, "service": list(services)})

    def desk_post(self, path, data=None):
        """A button on the desk page (every button there is a small form)."""
        desk = path.split("/")[2]
        page = self.client.get(f"/desk/{desk}")
        return self.client.post(path, data={"csrf_token": csrf_token(page.text),
                                            **(data or {})})
