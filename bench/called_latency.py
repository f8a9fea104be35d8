"""From a clerk's call to the `called` event at N connected boards.

    python bench/called_latency.py [--clients 100,500,1000] [--calls 20] [--modes eventlet,...]

For each async mode and N, starts a server on a fresh SQLite database, connects N Socket.IO
clients to /display (zone eg) over WebSocket, then makes calls one after another. The figure
per call is the time from sending call-next until the *last* of the N clients has the event.
Load generator and server share this machine's two cores. Prints JSON.
"""
import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
import socketio  # noqa: E402

from queue_app.domain.stats import percentile  # noqa: E402
from bench.machine import describe  # noqa: E402
from tests.helpers import KIOSK_TOKEN, PASSWORD  # noqa: E402
from tests.live import LiveServer  # noqa: E402

FREEZE_GC = "--no-client-gc" in sys.argv


async def connect_python_socketio(url, count, on_called):
    clients = []

    async def one(i):
        client = socketio.AsyncClient(reconnection=False)
        client.on("called", lambda data: on_called(i, data), namespace="/display")
        await client.connect(url, namespaces=["/display"], auth={"zone": "eg"},
                             transports=["websocket"], wait_timeout=30)
        clients.append(client)

    await _in_batches(count, one)
    return [c.disconnect for c in clients]


class WireBoard:
    """A board speaking Engine.IO 4 / Socket.IO 5 over one WebSocket, with nothing else:
    the instrument for many clients, whose own cost must stay small beside the server's."""

    def __init__(self, http, url, index, on_called):
        self.http, self.url, self.index, self.on_called = http, url, index, on_called

    async def connect(self):
        ws_url = self.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await self.http.ws_connect(ws_url, max_msg_size=0)
        opened = await self.ws.receive_str()
        assert opened.startswith("0"), opened
        await self.ws.send_str('40/display,{"zone":"eg"}')
        # The `state` snapshot may arrive before the namespace's CONNECT ack.
        while not (await self.ws.receive_str()).startswith("40/display,"):
            pass
        self.task = asyncio.ensure_future(self.listen())

    async def listen(self):
        async for msg in self.ws:
            data = msg.data
            if data == "2":
                await self.ws.send_str("3")
            elif data.startswith('42/display,["called"'):
                self.on_called(self.index, data)

    async def close(self):
        await self.ws.close()
        self.task.cancel()


async def connect_wire(url, count, on_called):
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    boards = []

    async def one(i):
        board = WireBoard(http, url, i, on_called)
        await board.connect()
        boards.append(board)

    await _in_batches(count, one)

    async def close_all():
        await asyncio.gather(*(b.close() for b in boards))
        await http.close()
    return [close_all]


async def _in_batches(count, connect_one, batch=50):
    for start in range(0, count, batch):
        await asyncio.gather(*(connect_one(i) for i in range(start, min(count, start + batch))))


async def run_one(url, clients_n, calls, client_kind):
    received = {}
    done = asyncio.Event()
    expected = [clients_n]

    def on_called(i, data):
        received[i] = time.perf_counter()
        if len(received) >= expected[0]:
            done.set()

    connect = connect_wire if client_kind == "wire" else connect_python_socketio
    closers = await connect(url, clients_n, on_called)
    if FREEZE_GC:
        # Keep the load generator's own collector pauses out of the server's figures.
        gc.collect()
        gc.freeze()
        gc.disable()
    api = f"{url}/api/v1"
    last_latencies, all_latencies, missed = [], [], 0
    async with aiohttp.ClientSession() as http:
        async def post(path, body=None, token=None):
            async with http.post(f"{api}{path}", json=body,
                                 headers={"Authorization": f"Bearer {token}"}) as r:
                return r.status, (await r.json() if r.status not in (204,) else None)

        async with http.post(f"{api}/auth/token",
                             json={"username": "mueller", "password": PASSWORD}) as r:
            clerk = (await r.json())["token"]
        for _ in range(calls):
            await post("/tickets", {"services": ["anmeldung"]}, KIOSK_TOKEN)
        await post("/desks/platz-1/session", {"services": ["anmeldung"]}, clerk)
        await asyncio.sleep(1)
        for _ in range(calls):
            received.clear()
            done.clear()
            sent = time.perf_counter()
            status, ticket = await post("/desks/platz-1/call-next", None, clerk)
            assert status == 200, status
            try:
                await asyncio.wait_for(done.wait(), timeout=10)
            except asyncio.TimeoutError:
                missed += clients_n - len(received)
            times = [t - sent for t in received.values()]
            if times:
                last_latencies.append(max(times))
                all_latencies.extend(times)
            await post(f"/tickets/{ticket['id']}/finish", None, clerk)
            # Let the coalesced waiting-count broadcast (0.5 s later) pass before the next call.
            await asyncio.sleep(1.0)
    await asyncio.gather(*(close() for close in closers))
    gc.enable()
    gc.unfreeze()

    def ms(values, p):
        return round(percentile(values, p) * 1000, 1) if values else None

    return {"clients": clients_n, "client": client_kind, "calls": calls, "missed_events": missed,
            "to_last_client_p50_ms": ms(last_latencies, 50),
            "to_last_client_p99_ms": ms(last_latencies, 99),
            "per_client_p50_ms": ms(all_latencies, 50),
            "per_client_p99_ms": ms(all_latencies, 99),
            "to_last_client_each_ms": [round(x * 1000, 1) for x in last_latencies]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--modes", default="eventlet,gevent,threading")
    parser.add_argument("--client", choices=["wire", "python-socketio"], default="wire",
                        help="wire: a minimal Engine.IO client per board (default); "
                             "python-socketio: the full client library per board")
    parser.add_argument("--no-client-gc", action="store_true",
                        help="disable the garbage collector in the load generator")
    args = parser.parse_args()
    report = {"bench": "called_latency", "machine": describe(), "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes.split(","):
            report["results"][mode] = []
            for n in (int(x) for x in args.clients.split(",")):
                db = f"sqlite:///{tmp}/{mode}-{n}.sqlite3"
                server = LiveServer(db, tmp, async_mode=mode).start()
                try:
                    report["results"][mode].append(
                        asyncio.run(run_one(server.url, n, args.calls, args.client)))
                finally:
                    server.stop()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
