"""A :class:`~flask_pyjwt.RevocationStore` in Redis (or Valkey), shared by every app
process and machine that uses the same server and key prefix. No Flask here.

redis-py is an optional dependency (``pip install 'flask_pyjwt[redis]'``): it is
imported when a store is made, never when flask_pyjwt is.

Keys (``<prefix>`` defaults to ``flask_pyjwt:``; ``JWT_REVOCATION_REDIS_URL`` adds the
issuer), each written with a relative expiry (``EX``, seconds on Redis's own clock:
never an absolute time from the app's clock, which may differ) after which it no longer
matters, so Redis never grows without bound. Every key of one subject carries the
subject as its hash tag (``{<sub>}``), so in Redis Cluster they all live in one slot:
one check is one ``MGET`` to one node, and a rotation one script on it::

    <prefix>{<sub>}:sub         the subject's cut-off: its tokens with iat <= this are revoked
    <prefix>{<sub>}:sid:<sid>   a revoked session (refresh-token family)
    <prefix>{<sub>}:jti:<jti>   a revoked token
    <prefix>{<sub>}:used:<jti>  a rotated (retired) refresh token; its value is the
                                rotation's record (the successor's jti and the time)
    <prefix>once:{<key>}        an id seen once (a DPoP proof's jti, hashed)

A subject with ``{``, ``}`` or a leading ``~``, or an empty one, is written as ``~``
and its base64url form, so that no subject's keys can be another's. Every write also
publishes the key it changed on ``<prefix>changes``, the change feed of the local cache
(:mod:`~flask_pyjwt._backends.redis_cache`).
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import random
import time
from collections.abc import Callable, Sequence
from typing import Final, Protocol, cast
from urllib.parse import urlsplit

from flask_pyjwt._core.errors import RevocationUnavailableError
from flask_pyjwt._core.revocation import (
    DEFAULT_REVOCATION_PREFIX,
    VALID,
    RevocationQuery,
    RevocationState,
)
from flask_pyjwt._core.verify_cache import DEFAULT_VERIFY_CACHE_SIZE

from .redis_cache import DEFAULT_STALENESS, LocalCache, PubSub
from .redis_deadline import deadline_connection
from .redis_replies import UNAVAILABLE_MESSAGE, read_state, read_text, unavailable, unreadable

__all__ = ["UNAVAILABLE_MESSAGE", "RedisClient", "RedisRevocationStore", "RedisScript"]

_monotonic: Final = time.monotonic  # the clock of the local cache's freshness proofs

DEFAULT_PREFIX: Final = DEFAULT_REVOCATION_PREFIX
"""The key prefix of :class:`RedisRevocationStore` unless one is given."""

# Each write is one script: the write, and its announcement on the change feed, in one
# atomic step (a reader of the feed never misses a change that a reader of the key sees).
_REVOKE: Final = """
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('PUBLISH', ARGV[2], KEYS[1])
return 1
"""

# Retire a refresh token unless it is already: the record kept is returned, so that the
# caller knows whether it won. A client that re-sends the script after a timeout (its
# first attempt having run) finds its own record: the same rotation, not reuse.
_RETIRE: Final = """
local kept = redis.call('GET', KEYS[1])
if kept then return kept end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('PUBLISH', ARGV[3], KEYS[1])
return ARGV[1]
"""

# Raise a subject's cut-off (never lower it) and keep the longer of the two remaining
# lifetimes, in one atomic step, on Redis's own clock (PTTL: every Redis since 2.6).
_REVOKE_SUBJECT: Final = """
local cutoff = tonumber(ARGV[1])
local ttl_ms = tonumber(ARGV[2]) * 1000
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current > cutoff then cutoff = current end
local pttl = redis.call('PTTL', KEYS[1])
if pttl > ttl_ms then ttl_ms = pttl end
redis.call('SET', KEYS[1], cutoff, 'PX', ttl_ms)
redis.call('PUBLISH', ARGV[3], KEYS[1])
return cutoff
"""

# Remember an id once: 1 the first time, 0 while it is remembered (no feed: the local
# cache never holds these).
_ONCE: Final = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 1 end
return 0
"""

_MISSING_REDIS: Final = (
    "RedisRevocationStore needs redis-py, an optional dependency: pip install 'flask_pyjwt[redis]'"
)


class RedisScript(Protocol):
    """A Lua script registered on a client (``redis.commands.core.Script``).

    The store no longer registers scripts (it sends each write with ``EVAL``, which a
    master promoted by a failover runs without a script cache); kept for code that
    names it.
    """

    def __call__(self, keys: Sequence[str], args: Sequence[int]) -> object:
        """Run the script with ``keys`` and ``args`` in one atomic step."""
        ...


class RedisClient(Protocol):
    """The part of a ``redis.Redis``, ``redis.RedisCluster`` (or ``valkey.Valkey``)
    client the store needs.

    Any client with these two methods works; their answers are read as plain data and
    checked, so a client's loose return types never reach the store's callers. The
    store uses more when the client has it: ``pipeline`` (for ``min_replicas``),
    ``pubsub`` (for the local cache; without it, every check is a round trip), and a
    cluster client's ``get_node_from_key`` and ``get_nodes``.
    """

    def mget(self, keys: list[str], /) -> object:
        """``MGET``: the values of ``keys``, ``None`` for a missing one."""
        ...

    def eval(self, script: str, numkeys: int, /, *keys_and_args: str) -> object:
        """``EVAL``: run ``script`` with its keys then its arguments, atomically."""
        ...


class _Pipeline(Protocol):
    def eval(self, script: str, numkeys: int, /, *keys_and_args: str) -> object: ...
    def execute_command(self, *args: str | int) -> object: ...
    def execute(self) -> object: ...


class _Pipelined(Protocol):
    def pipeline(self, transaction: bool = ...) -> _Pipeline: ...


class _Node(Protocol):
    redis_connection: _Pipelined | None


class _NodesManager(Protocol):
    def initialize(self) -> object: ...


class _Cluster(Protocol):
    nodes_manager: _NodesManager

    def get_node_from_key(self, key: str) -> _Node: ...
    def get_nodes(self) -> list[object]: ...
    def pubsub(self, node: object = ...) -> PubSub: ...


class _Subscribable(Protocol):
    def pubsub(self) -> PubSub: ...


class _RedisClass(Protocol):
    def from_url(self, url: str, /, **options: object) -> RedisClient: ...


def _attribute(module: str, name: str) -> object:
    """``module.name`` from redis-py, imported only when a store is made."""
    try:
        return cast("object", getattr(importlib.import_module(module), name))
    except ImportError:
        raise ImportError(_MISSING_REDIS) from None


def _tag(subject: str) -> str:
    """The subject's hash tag: the subject itself, unless it holds a character that
    would make the tag ambiguous, or none (a provider's token without ``sub``; an empty
    tag ``{}`` hashes each whole key to its own slot): then ``~`` and its base64url form."""
    if not subject or "{" in subject or "}" in subject or subject.startswith("~"):
        return "~" + base64.urlsafe_b64encode(subject.encode()).decode("ascii")
    return subject


class RedisRevocationStore:
    """Revocations in Redis or Redis Cluster: one ``MGET`` to one node per check (none
    for a token this process has checked while its change feed is current), atomic
    rotation.

    Anything the client raises (a connection error, a timeout, a malformed reply that
    makes redis-py raise ``ValueError`` or ``AttributeError``, a cluster client's
    ``RedisClusterException``), and any answer the store cannot read, is a
    :class:`~flask_pyjwt.errors.RevocationUnavailableError`: a 503, never "valid".

    Args:
        client: a ``redis.Redis`` or ``redis.RedisCluster`` client. Its settings are
            used as given; for a protected request to fail fast (a 503 within a second)
            when Redis is unreachable or slow, give it short socket timeouts and few
            retries, or use :meth:`from_url`, which also bounds each whole answer (see
            the docs' "Logout and revocation").
        prefix: put before every key, so several apps can share one Redis. Give each
            app its own (``JWT_REVOCATION_REDIS_URL`` puts the issuer in its default).
        min_replicas: each write (revocation, rotation) returns only once this many
            replicas have it (Redis ``WAIT``), so that a failover of the master that
            took it does not lose it; otherwise it raises
            :class:`~flask_pyjwt.errors.RevocationUnavailableError` (a 503). ``0``:
            return once the master has it.
        replica_timeout: seconds ``WAIT`` waits for the replicas; keep it well under the
            client's socket timeout.
        local_cache: keep each answer in this process, kept current by the store's
            change feed (a Redis pub/sub channel), so that a token checked before costs
            no round trip; ``False``: every check asks Redis.
        local_cache_size: the most answers kept (default: the verified-token cache's
            default size, ``JWT_VERIFY_CACHE_SIZE``).
        staleness: seconds; the local cache answers only while it has proof that it has
            seen every change made up to this long ago, else the check asks Redis.

    Raises:
        ImportError: redis-py is not installed.
        ValueError: an empty prefix, or a negative number.
    """

    def __init__(
        self,
        client: RedisClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        min_replicas: int = 0,
        replica_timeout: float = 0.1,
        local_cache: bool = True,
        local_cache_size: int = DEFAULT_VERIFY_CACHE_SIZE,
        staleness: float = DEFAULT_STALENESS,
    ) -> None:
        if not prefix:
            raise ValueError("prefix must be a non-empty string (it namespaces the keys)")
        if min_replicas < 0 or replica_timeout <= 0 or local_cache_size < 1 or staleness <= 0:
            raise ValueError(
                "min_replicas must be >= 0, and replica_timeout, local_cache_size and staleness > 0"
            )
        self._client = client
        self._prefix = prefix
        self._channel = f"{prefix}changes"
        self._min_replicas = min_replicas
        self._wait_ms = max(1, round(replica_timeout * 1000))
        self._cluster = cast("_Cluster", client) if hasattr(client, "get_node_from_key") else None
        self._cache: LocalCache | None = None
        if local_cache and hasattr(client, "pubsub"):
            self._cache = LocalCache(
                self._subscriber(client), self._channel, size=local_cache_size, staleness=staleness
            )

    def _subscriber(self, client: object) -> Callable[[], PubSub]:
        cluster = self._cluster
        if cluster is not None:
            # Any node: a PUBLISH reaches the subscribers of every node of a cluster. A
            # random one each time, so a dead node is not tried forever.
            return lambda: cluster.pubsub(node=random.choice(cluster.get_nodes()))  # noqa: S311
        return cast("_Subscribable", client).pubsub

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = 0.25,
        min_replicas: int = 0,
        local_cache: bool = True,
        local_cache_size: int = DEFAULT_VERIFY_CACHE_SIZE,
    ) -> RedisRevocationStore:
        """A store with its own client for ``url`` (one Redis server), set up to fail fast.

        The client waits at most ``timeout`` seconds to connect, and at most ``timeout``
        seconds for each whole answer, from sending a command to the answer's last byte
        (an answer trickling in a byte at a time is cut off too); it does not retry. An
        unreachable or stalled Redis turns into a 503 in well under a second. Replicas
        (``min_replicas``) are waited for at most half of ``timeout``.

        Raises:
            ImportError: redis-py is not installed.
            ValueError: ``url`` is not a Redis URL.
        """
        redis_class = cast("_RedisClass", _attribute("redis", "Redis"))
        no_backoff = cast("type[object]", _attribute("redis.backoff", "NoBackoff"))
        retry = cast("Callable[[object, int], object]", _attribute("redis.retry", "Retry"))
        client = redis_class.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=retry(no_backoff(), 0),
            connection_class=deadline_connection(_connection_class(url), timeout),
        )
        store = cls(
            client,
            prefix=prefix,
            min_replicas=min_replicas,
            replica_timeout=timeout / 2,
            local_cache=False,
        )
        if local_cache:
            # The subscriber waits for messages as long as it likes: not the deadline
            # connection, whose answers must follow their command within ``timeout``.
            feed = redis_class.from_url(
                url, socket_connect_timeout=timeout, retry=retry(no_backoff(), 0)
            )
            store._cache = LocalCache(
                cast("_Subscribable", feed).pubsub, store._channel, size=local_cache_size
            )
        return store

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self._prefix

    @property
    def local_cache(self) -> bool:
        """Whether answers are kept in this process (see the class)."""
        return self._cache is not None

    def close(self) -> None:
        """Stop the local cache's listener thread (the client is the caller's to close)."""
        if self._cache is not None:
            self._cache.close()

    def status(self, query: RevocationQuery) -> RevocationState:
        """See :meth:`~flask_pyjwt.RevocationStore.status`: one ``MGET``, or none for a
        query answered while the change feed is current."""
        return self._status(query, query)

    def known_valid(self, token: str) -> bool:
        """Whether the compact ``token``, answered ``VALID`` by :meth:`status_of` before,
        still is by what the change feed has proven: no query built, no round trip (the
        warm check of every protected request)."""
        cache = self._cache
        # The proof first, then the answer: an answer read after the proof reflects
        # every change the proof covers.
        return cache is not None and _monotonic() < cache.fresh_until and token in cache.entries

    def status_of(self, token: str, query: RevocationQuery) -> RevocationState:
        """:meth:`status` of ``query``, the query of the compact ``token``, keeping a
        ``VALID`` answer under ``token`` for :meth:`known_valid`."""
        return self._status(query, token or query)

    def _status(self, query: RevocationQuery, key: RevocationQuery | str) -> RevocationState:
        # A refresh token's check is never answered from memory: it comes before a
        # rotation, which must see what every process did (and refresh tokens are
        # presented rarely).
        cache = None if query.refresh else self._cache
        epoch = 0
        if cache is not None:
            if _monotonic() < cache.fresh_until:
                kept = cache.entries.get(key)
                if kept is not None:
                    return kept
            else:
                cache.start()
            epoch = cache.epoch
        base = f"{self._prefix}{{{_tag(query.subject)}}}:"
        keys = [f"{base}sub"]
        if query.family is not None:
            keys.append(f"{base}sid:{query.family}")
        if query.jti is not None:
            keys.append(f"{base}jti:{query.jti}")
            if query.refresh:
                keys.append(f"{base}used:{query.jti}")
        try:
            values = self._client.mget(keys)
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise unavailable() from error
        state = read_state(query, keys, values)
        if cache is not None and state is VALID:
            # Only "nothing recorded" is kept: every change to it is a write, which the
            # feed announces, while a fact also ends by expiring, which it does not.
            cache.keep(key, keys, state, epoch)
        return state

    def revoke_token(self, jti: str, *, ttl: int, subject: str) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_token`."""
        if ttl > 0:
            self._write(_REVOKE, self._key(subject, f"jti:{jti}"), str(ttl), self._channel)

    def revoke_family(self, family: str, *, ttl: int, subject: str) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_family`."""
        if ttl > 0:
            self._write(_REVOKE, self._key(subject, f"sid:{family}"), str(ttl), self._channel)

    def revoke_subject(self, subject: str, *, issued_before: int, ttl: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_subject`: one script."""
        if ttl > 0:
            key = self._key(subject, "sub")
            self._write(_REVOKE_SUBJECT, key, str(issued_before), str(ttl), self._channel)

    def retire(self, jti: str, *, ttl: int, subject: str, record: str) -> str:
        """See :meth:`~flask_pyjwt.RevocationStore.retire`: one script, safe to re-send."""
        if ttl <= 0:
            return record  # what it concerns has expired: nothing to remember
        key = self._key(subject, f"used:{jti}")
        kept = self._write(_RETIRE, key, record, str(ttl), self._channel)
        text = read_text(kept)
        if text is None:
            raise unreadable("a rotation's record is not text")
        return text

    def remember_once(self, key: str, *, ttl: int) -> bool:
        """See :meth:`~flask_pyjwt.RevocationStore.remember_once`: one ``SET NX``."""
        if ttl <= 0:
            return True
        try:
            created = self._client.eval(_ONCE, 1, f"{self._prefix}once:{{{key}}}", str(ttl))
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise unavailable() from error
        return created == 1

    def rotation(self, jti: str, *, subject: str) -> str | None:
        """See :meth:`~flask_pyjwt.RevocationStore.rotation`: one ``MGET``."""
        try:
            values = self._client.mget([self._key(subject, f"used:{jti}")])
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise unavailable() from error
        if not isinstance(values, list) or len(cast("list[object]", values)) != 1:
            raise unreadable("MGET answered with something other than one value per key")
        value = cast("list[object]", values)[0]
        return None if value is None else read_text(value)

    def _key(self, subject: str, rest: str) -> str:
        return f"{self._prefix}{{{_tag(subject)}}}:{rest}"

    def _write(self, script: str, key: str, *args: str) -> object:
        """Run a write script on ``key`` (then, with ``min_replicas``, ``WAIT`` on the same
        connection); any failure, or too few replicas, is the store's unavailable error."""
        try:
            if self._min_replicas == 0:
                return self._client.eval(script, 1, key, *args)
            return self._replicated(script, key, args)
        except RevocationUnavailableError:
            raise
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise unavailable() from error
        finally:
            # This process reads its own writes at once, not when the feed echoes them
            # (and even a failed write may have reached the master).
            if self._cache is not None:
                self._cache.changed(key)

    def _replicated(self, script: str, key: str, args: tuple[str, ...]) -> object:
        # WAIT counts the replicas that have every write made *on its connection*: the
        # script and WAIT go down one connection, in one pipeline, to the key's master.
        target: object = self._client
        cluster = self._cluster
        if cluster is not None:
            target = cluster.get_node_from_key(key).redis_connection
        if not hasattr(target, "pipeline"):
            raise unreadable("min_replicas needs a client with pipeline()")
        pipeline = cast("_Pipelined", target).pipeline(transaction=False)
        pipeline.eval(script, 1, key, *args)
        pipeline.execute_command("WAIT", self._min_replicas, self._wait_ms)
        try:
            replies = pipeline.execute()
        except Exception:
            if cluster is not None:
                # The master may have died or moved (a failover): the cluster client
                # learns the new layout, so that a later write goes to the new master.
                with contextlib.suppress(Exception):
                    cluster.nodes_manager.initialize()
            raise
        if not isinstance(replies, list) or len(cast("list[object]", replies)) != 2:
            raise unreadable("a pipeline answered with something other than two replies")
        result, acknowledged = cast("list[object]", replies)
        if isinstance(result, Exception):
            raise result
        if not isinstance(acknowledged, int) or acknowledged < self._min_replicas:
            error = unavailable()
            error.__cause__ = ConnectionError(
                f"{acknowledged} replicas acknowledged the write within {self._wait_ms} ms, "
                f"fewer than min_replicas={self._min_replicas}"
            )
            raise error
        return result

    def __repr__(self) -> str:
        return (
            f"RedisRevocationStore(prefix={self._prefix!r}, min_replicas={self._min_replicas}, "
            f"local_cache={self._cache is not None})"
        )


def _connection_class(url: str) -> type[object]:
    """The redis-py connection class ``Redis.from_url`` picks for ``url``'s scheme."""
    scheme = urlsplit(url).scheme
    name = {"rediss": "SSLConnection", "unix": "UnixDomainSocketConnection"}.get(scheme)
    return cast("type[object]", _attribute("redis.connection", name or "Connection"))
