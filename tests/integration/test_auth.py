"""Staff and device credentials."""


def test_wrong_password_is_401(api):
    r = api.client.post("/api/v1/auth/token", json={"username": "mueller", "password": "x"})
    assert r.status_code == 401
    assert r.get_json()["error"]["code"] == "invalid_credentials"
    r = api.client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert r.status_code == 401


def test_token_request_validation(api):
    assert api.client.post("/api/v1/auth/token", json={"username": "mueller"}).status_code == 422
    assert api.client.post("/api/v1/auth/token", data="x").status_code == 400


def test_revoked_token_stops_working(api):
    headers = api.auth("mueller")
    assert api.client.get("/api/v1/desks", headers=headers).status_code == 200
    assert api.client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert api.client.get("/api/v1/desks", headers=headers).status_code == 401


def test_garbage_bearer_is_401(api):
    r = api.client.get("/api/v1/desks", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_tokens_are_stored_hashed(app, api):
    from sqlalchemy import select

    from queue_app.extensions import db
    from queue_app.models import ApiToken
    token = api.token("mueller")
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored
    assert all(len(h) == 64 for h in stored)


def test_revocation_acts_at_once_with_the_token_cache_on(database_url):
    from config import demo_centre
    from config.settings import TestConfig
    from queue_app import create_app
    from queue_app.clock import now
    from queue_app.extensions import db
    from queue_app.services import devices, setup
    from tests.helpers import Api

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, AUTH_CACHE_SECONDS=60)
    with app.app_context():
        db.drop_all()
        setup.init_db()
        setup.seed_demo(now(), demo_centre)
        db.session.remove()
    api = Api(app.test_client())
    staff_headers = api.auth("mueller")
    assert api.client.get("/api/v1/desks", headers=staff_headers).status_code == 200
    assert api.client.delete("/api/v1/auth/token", headers=staff_headers).status_code == 204
    assert api.client.get("/api/v1/desks", headers=staff_headers).status_code == 401

    assert api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk").status_code == 201
    with app.app_context():
        devices.revoke_device("kiosk-eingang", now())
        db.session.remove()
    assert api.post("/tickets", {"services": ["anmeldung"]}, who="kiosk").status_code == 401
    with app.app_context():
        db.engine.dispose()
