"""Redis between the server processes (Socket.IO message queue), made to survive a Redis
that hangs or goes away.

python-socketio delivers an event to this process's own clients first and then publishes
it for the others; but a hanging Redis held each publish (and so the clerk's call) for
many seconds, twice over with its retry. Here the socket time-outs are short, and after a
failed publish Redis is left alone for RETRY_SECONDS, so calls stay fast while it is away;
the other processes hear events again as soon as it is back (boards also re-sync on their
own: BOARD_POLL_SECONDS).
"""
import logging
import time

import socketio

log = logging.getLogger(__name__)
RETRY_SECONDS = 5


def redis_options(config):
    seconds = config["REDIS_TIMEOUT_SECONDS"]
    return {"socket_timeout": seconds, "socket_connect_timeout": seconds}


class ResilientRedisManager(socketio.RedisManager):
    def __init__(self, url, channel, options):
        super().__init__(url, channel=channel, redis_options=options)
        self._retry_at = 0.0

    def _publish(self, data):
        if time.monotonic() >= self._retry_at:
            try:
                if not self.connected:
                    self._redis_connect()
                return self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as exc:  # any failure of the queue: local clients have it
                self.connected = False
                self._retry_at = time.monotonic() + RETRY_SECONDS
                log.warning("Redis message queue unavailable (%s): events reach this "
                            "process's clients only; trying again in %ss", exc, RETRY_SECONDS)
        return None


def client_manager(config):
    """The manager for SOCKETIO_MESSAGE_QUEUE, or None (in-process, or not Redis)."""
    url = config["SOCKETIO_MESSAGE_QUEUE"]
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    return ResilientRedisManager(url, config["SOCKETIO_CHANNEL"], redis_options(config))
