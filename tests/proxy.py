"""A small threaded TCP proxy on loopback for fault tests: it forwards to a real server
(PostgreSQL, Redis) until the test pauses it (connections stay open, nothing passes: a
hanging server) or kills it (every connection dropped, new ones refused: a server gone).
The shared servers themselves are never touched."""
import socket
import threading
import time


class TcpProxy:
    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.paused = False
        self.killed = False
        self.closed = False
        self._sockets = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url_for(self, url, default_port):
        """`url` with its host and port replaced by this proxy's."""
        scheme, rest = url.split("://", 1)
        auth, _, hostpath = rest.rpartition("@")
        path = hostpath.split("/", 1)[1] if "/" in hostpath else ""
        auth = f"{auth}@" if auth else ""
        return f"{scheme}://{auth}127.0.0.1:{self.port}/{path}"

    def pause(self):
        self.paused = True

    def resume(self):
        self.paused = False

    def kill(self):
        self.killed = True
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for s in sockets:
            _close(s)

    def revive(self):
        self.killed = False
        self.paused = False

    def close(self):
        self.closed = True
        self.kill()
        _close(self.listener)

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.killed:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                while self.paused and not self.killed:
                    time.sleep(0.02)
                if self.killed:
                    break
                dst.sendall(data)
        except OSError:
            pass
        _close(src)
        _close(dst)


def _close(s):
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
