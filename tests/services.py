"""Which external servers the tests may use, and how a missing one is reported.

Locally a missing server skips its tests with the reason. With REQUIRE_SERVICES=1 (set by
.ci/run) a missing server fails them, so CI can never pass by skipping.
"""
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import pytest

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"


def unavailable(reason):
    if REQUIRED:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is an error)")
    pytest.skip(reason)


def postgres_admin_url():
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        unavailable("TEST_POSTGRES_URL is not set: PostgreSQL tests need a server")
    return url


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(admin_url):
    """A fresh database for this test run; returns (url, drop)."""
    import psycopg2

    name = f"anlaufstelle_test_{os.getpid()}_{secrets.token_hex(3)}"

    def connect():
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        return conn

    try:
        conn = connect()
    except Exception as exc:  # the server is down or unreachable
        unavailable(f"PostgreSQL at {admin_url} is not reachable: {exc}")
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    conn.close()

    def drop():
        c = connect()
        c.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.close()

    return with_database(admin_url, name), drop


def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        unavailable("TEST_REDIS_URL is not set: scale-out tests need a Redis server")
    return url
