"""A real python-socketio client that records what it receives."""
import queue

import socketio


class Listener:
    def __init__(self, url, namespace, auth, transports=("websocket",)):
        self.events = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.namespace = namespace
        for name in ("state", "called", "waiting", "ticket"):
            self.client.on(name, self._recorder(name), namespace=namespace)
        self.client.connect(url, namespaces=[namespace], auth=auth,
                            transports=list(transports), wait_timeout=10)

    def _recorder(self, name):
        def record(data):
            self.events.put((name, data))
        return record

    def next(self, name, timeout=5, where=lambda data: True):
        """The next `name` event matching `where`, skipping others."""
        import time
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {name!r} event within {timeout}s")
            try:
                got, data = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if got == name and where(data):
                return data

    def close(self):
        self.client.disconnect()
