"""Kept-alive connections are served in turn: no connection's requests wait while another
connection is served again and again (the 2 s tail beside a 5 ms median of
bench/scale_out.py under eventlet and gevent)."""
import itertools
import threading

import pytest
import requests

from tests.helpers import KIOSK_TOKEN

CONNECTIONS = 32
TICKETS = 640


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_each_kept_alive_connection_gets_its_share(start_server, async_mode):
    server = start_server(async_mode=async_mode)
    numbers = itertools.count()
    lock = threading.Lock()
    served = [0] * CONNECTIONS

    def client(n):
        # One keep-alive connection each, requests back to back, as a kiosk fleet would.
        with requests.Session() as http:
            while True:
                with lock:
                    if next(numbers) >= TICKETS:
                        return
                r = http.post(f"{server.url}/api/v1/tickets",
                              json={"services": ["anmeldung"], "lang": "en"},
                              headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}, timeout=60)
                assert r.status_code == 201, r.text
                served[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(served) == TICKETS
    # Served in turn, each connection gets about TICKETS / CONNECTIONS = 20; before, one
    # got three times another's share.
    assert max(served) <= 1.5 * min(served), served
