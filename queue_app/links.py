"""Absolute links for things sent away from the page (tickets, mails, calendar files).

Built only from settings, never from the request: a forged Host header must not put an
attacker's address into a mail the centre sends. PUBLIC_URL in production; in the embedded
default the address the server was started on (SERVER_URL, set by `python -m queue_app`).
"""
import socket

from flask import current_app

FALLBACK = "http://127.0.0.1:5000"


def public_url(path):
    base = (current_app.config.get("PUBLIC_URL") or current_app.config.get("SERVER_URL")
            or FALLBACK)
    return f"{base.rstrip('/')}{path}"


def server_url(host, port):
    """The address phones and mail readers can use for a server listening on host:port.
    A wildcard listener is named by this machine's address on the network (a UDP "connect"
    sends nothing; it only asks the routing table), else by loopback."""
    if host in ("0.0.0.0", "::", ""):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.254.254.254", 9))
                host = probe.getsockname()[0]
        except OSError:
            host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
