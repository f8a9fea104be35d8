"""Under eventlet and gevent a request waiting for the database must not stop the server
from answering others."""
import sqlite3
import threading
import time

import psycopg2
import pytest
import requests

from tests.live import HttpApi


class HeldLock:
    """Another process's transaction holding the lock a ticket request needs."""

    def __init__(self, database_url):
        if database_url.startswith("sqlite"):
            self.conn = sqlite3.connect(database_url.removeprefix("sqlite:///"),
                                        isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn = psycopg2.connect(database_url)
            cursor = self.conn.cursor()
            cursor.execute("SELECT last FROM ticket_counters WHERE prefix = 'A' FOR UPDATE")
            assert cursor.fetchall(), "the counter row must exist to be locked"

    def release(self):
        self.conn.rollback() if not isinstance(self.conn, sqlite3.Connection) else \
            self.conn.execute("ROLLBACK")
        self.conn.close()


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_waiting_for_a_lock_does_not_block_other_requests(server_db, start_server, async_mode):
    server = start_server(server_db, async_mode=async_mode)
    http = HttpApi(server.url)
    assert http.issue("anmeldung")["number"] == "A001"
    lock = HeldLock(server_db)
    result = {}

    def blocked_ticket():
        result["ticket"] = HttpApi(server.url).issue("anmeldung")

    waiter = threading.Thread(target=blocked_ticket)
    waiter.start()
    try:
        time.sleep(0.3)
        for _ in range(5):
            started = time.monotonic()
            assert requests.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200
            assert time.monotonic() - started < 0.5
            assert requests.get(f"{server.url}/api/v1/services", timeout=2).status_code == 200
            time.sleep(0.1)
        assert waiter.is_alive(), "the ticket request should still be waiting for the lock"
    finally:
        lock.release()
    waiter.join(10)
    assert result["ticket"]["number"] == "A002"
