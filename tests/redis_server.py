"""A real ``redis-server`` on a free loopback port, for the tests that need Redis.

The process itself (which binary, the port, start and stop) is
``scripts/redis_server.py``'s, shared with the benchmarks; this adds the redis-py
clients the tests talk to it with.
"""

from __future__ import annotations

from typing import cast

import redis
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.retry import Retry

from scripts.redis_server import RedisClusterProcesses, RedisProcess, free_port

__all__ = [
    "RedisClusterServer",
    "RedisServer",
    "connect",
    "command_calls",
    "free_port",
    "key_slot",
    "node_port",
    "nodes",
]


def connect(port: int, *, socket_timeout: float | None = 5.0) -> redis.Redis:
    """A client for the server on 127.0.0.1:``port``."""
    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=socket_timeout)


class RedisServer(RedisProcess):
    """One ``redis-server`` process bound to 127.0.0.1, with redis-py clients for it."""

    def client(self, *, socket_timeout: float | None = 5.0) -> redis.Redis:
        """A new client for this server."""
        return connect(self.port, socket_timeout=socket_timeout)

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


def command_calls(client: redis.Redis, command: str) -> int:
    """How many times the server has run ``command`` (``INFO commandstats``)."""
    stats = cast("dict[str, dict[str, int]]", client.info("commandstats"))  # pyright: ignore[reportUnknownMemberType]
    return stats.get(f"cmdstat_{command}", {}).get("calls", 0)


def node_port(client: RedisCluster, key: str) -> int:
    """The port of the node the cluster client sends ``key`` to."""
    node = cast("ClusterNode", client.get_node_from_key(key))  # type: ignore[no-untyped-call]
    return cast("int", node.port)


def key_slot(client: RedisCluster, key: str) -> int:
    """``key``'s hash slot."""
    return cast("int", client.keyslot(key))  # type: ignore[no-untyped-call]


def nodes(client: RedisCluster) -> list[ClusterNode]:
    """Every node the cluster client knows."""
    return cast("list[ClusterNode]", client.get_nodes())  # type: ignore[no-untyped-call]


class RedisClusterServer(RedisClusterProcesses):
    """A 3-master, 3-replica Redis Cluster on 127.0.0.1, with redis-py clients for it."""

    def client(self, *, socket_timeout: float = 0.5) -> RedisCluster:
        """A new cluster client that fails fast: short timeouts, one retry, no backoff."""
        return RedisCluster(
            host="127.0.0.1",
            port=self.ports[0],
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=Retry(NoBackoff(), 1),
        )

    def master_of(self, key: str) -> RedisProcess:
        """The node process that serves ``key``'s slot now."""
        client = self.client()
        try:
            port = node_port(client, key)
        finally:
            client.close()
        return next(node for node in self.nodes if node.port == port)

    def __enter__(self) -> RedisClusterServer:
        self.start()
        return self
