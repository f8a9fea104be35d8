"""The admin CLI, as an admin types it."""


def test_create_user_and_log_in(runner, api):
    r = runner.invoke(args=["create-user", "neu", "--role", "clerk", "--password-stdin",
                            "--services", "anmeldung,reisepass"], input="geheim-123\n")
    assert r.exit_code == 0, r.output
    token = api.client.post("/api/v1/auth/token",
                            json={"username": "neu", "password": "geheim-123"})
    assert token.status_code == 201
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    ok = api.client.post("/api/v1/desks/platz-3/session", json={"services": ["reisepass"]},
                         headers=headers)
    assert ok.status_code == 200


def test_create_user_refuses_unknown_service_and_duplicates(runner):
    r = runner.invoke(args=["create-user", "x", "--role", "clerk", "--password-stdin",
                            "--services", "nope"], input="geheim-123\n")
    assert r.exit_code != 0
    assert "nope" in r.output
    r = runner.invoke(args=["create-user", "mueller", "--role", "clerk", "--password-stdin"],
                      input="geheim-123\n")
    assert r.exit_code != 0


def test_create_device_prints_token_last_and_it_works(runner, api):
    r = runner.invoke(args=["create-device", "kiosk-2", "--kind", "kiosk", "--zone", "og1"])
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    issued = api.client.post("/api/v1/tickets", json={"services": ["anmeldung"]},
                             headers=headers)
    assert issued.status_code == 201
    assert runner.invoke(args=["revoke-device", "kiosk-2"]).exit_code == 0
    again = api.client.post("/api/v1/tickets", json={"services": ["anmeldung"]},
                            headers=headers)
    assert again.status_code == 401


def test_create_device_unknown_zone_fails(runner):
    r = runner.invoke(args=["create-device", "b", "--kind", "display", "--zone", "mars"])
    assert r.exit_code != 0
    assert "mars" in r.output


def test_seed_demo_is_idempotent(runner):
    r = runner.invoke(args=["seed-demo"])
    assert r.exit_code == 0
    assert "nothing was loaded" in r.output
