"""Small actions the tests share, so each test states only what it cares about."""
from datetime import datetime, timezone

from config import demo_centre

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
KIOSK_TOKEN = demo_centre.DEVICES[0]["token"]
PASSWORD = demo_centre.DEMO_PASSWORD


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
