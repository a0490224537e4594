"""A :class:`~flask_pyjwt.RevocationStore` in Redis (or Valkey), shared by every app
process and machine that uses the same server and key prefix. No Flask here.

redis-py is an optional dependency (``pip install 'flask_pyjwt[redis]'``): it is
imported when a store is made, never when flask_pyjwt is.

Keys (``<prefix>`` defaults to ``flask_pyjwt:``; ``JWT_REVOCATION_REDIS_URL`` adds the
issuer), each written with a relative expiry (``EX``, seconds on Redis's own clock:
never an absolute time from the app's clock, which may differ) after which it no longer
matters, so Redis never grows without bound::

    <prefix>jti:<jti>     a revoked token
    <prefix>sid:<sid>     a revoked session (refresh-token family)
    <prefix>sub:<sub>     a subject's cut-off: its tokens with iat <= this are revoked
    <prefix>used:<jti>    a rotated (retired) refresh token
    <prefix>once:{<key>}  an id seen once (a DPoP proof's jti, hashed); hash-tagged
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Final, Protocol, cast
from urllib.parse import urlsplit

from flask_pyjwt._core.errors import RevocationUnavailableError
from flask_pyjwt._core.revocation import (
    DEFAULT_REVOCATION_PREFIX,
    RevocationQuery,
    RevocationState,
)

from .redis_deadline import deadline_connection

DEFAULT_PREFIX: Final = DEFAULT_REVOCATION_PREFIX
"""The key prefix of :class:`RedisRevocationStore` unless one is given."""

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
return cutoff
"""

UNAVAILABLE_MESSAGE: Final = "The service is temporarily unavailable; try again shortly."
"""What a client is told when the store fails: nothing about the backend (the cause is
chained to the exception, for the app's logs)."""

_MISSING_REDIS: Final = (
    "RedisRevocationStore needs redis-py, an optional dependency: pip install 'flask_pyjwt[redis]'"
)


class RedisScript(Protocol):
    """A Lua script registered on a client (``redis.commands.core.Script``)."""

    def __call__(self, keys: Sequence[str], args: Sequence[int]) -> object:
        """Run the script with ``keys`` and ``args`` in one atomic step."""
        ...


class RedisClient(Protocol):
    """The part of a ``redis.Redis`` (or ``valkey.Valkey``) client the store uses.

    Any client with these three methods works; their answers are read as plain data
    and checked, so a client's loose return types never reach the store's callers.
    """

    def mget(self, keys: list[str], /) -> object:
        """``MGET``: the values of ``keys``, ``None`` for a missing one."""
        ...

    def set(self, name: str, value: bytes, /, *, nx: bool = False, ex: int | None = None) -> object:
        """``SET`` with a lifetime in seconds (``EX``), only if absent with ``nx``."""
        ...

    def register_script(self, script: str, /) -> RedisScript:
        """A callable that runs ``script`` (``EVALSHA``, loading it when needed)."""
        ...


class _RedisClass(Protocol):
    def from_url(self, url: str, /, **options: object) -> RedisClient: ...


def _attribute(module: str, name: str) -> object:
    """``module.name`` from redis-py, imported only when a store is made."""
    try:
        return cast("object", getattr(importlib.import_module(module), name))
    except ImportError:
        raise ImportError(_MISSING_REDIS) from None


class RedisRevocationStore:
    """Revocations in Redis: one ``MGET`` per protected request, atomic rotation.

    Anything the client raises (a connection error, a timeout, a malformed reply that
    makes redis-py raise ``ValueError`` or ``AttributeError``, a cluster client's
    ``RedisClusterException``), and any answer the store cannot read, is a
    :class:`~flask_pyjwt.errors.RevocationUnavailableError`: a 503, never "valid".

    Args:
        client: a ``redis.Redis`` client. Its settings are used as given; for a
            protected request to fail fast (a 503 within a second) when Redis is
            unreachable or slow, give it short socket timeouts and few retries, or use
            :meth:`from_url`, which also bounds each whole answer (see the docs'
            "Logout and revocation").
        prefix: put before every key, so several apps can share one Redis. Give each
            app its own (``JWT_REVOCATION_REDIS_URL`` puts the issuer in its default).

    Raises:
        ImportError: redis-py is not installed.
        ValueError: an empty prefix.
    """

    def __init__(self, client: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        if not prefix:
            raise ValueError("prefix must be a non-empty string (it namespaces the keys)")
        self._client = client
        self._prefix = prefix
        self._revoke_subject = client.register_script(_REVOKE_SUBJECT)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = 0.25
    ) -> RedisRevocationStore:
        """A store with its own client for ``url``, set up to fail fast.

        The client waits at most ``timeout`` seconds to connect, and at most ``timeout``
        seconds for each whole answer, from sending a command to the answer's last byte
        (an answer trickling in a byte at a time is cut off too); it does not retry. An
        unreachable or stalled Redis turns into a 503 in well under a second.

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
        return cls(client, prefix=prefix)

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self._prefix

    def status(self, query: RevocationQuery) -> RevocationState:
        """See :meth:`~flask_pyjwt.RevocationStore.status`: one ``MGET``."""
        prefix = self._prefix
        keys = [f"{prefix}sub:{query.subject}"]
        if query.family is not None:
            keys.append(f"{prefix}sid:{query.family}")
        if query.jti is not None:
            keys.append(f"{prefix}jti:{query.jti}")
            if query.refresh:
                keys.append(f"{prefix}used:{query.jti}")
        try:
            values = self._client.mget(keys)
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise _unavailable() from error
        answers = cast("list[object]", values) if isinstance(values, list) else None
        if answers is None or len(answers) != len(keys):
            raise _unreadable("MGET answered with something other than one value per key")
        cutoff = _cutoff(answers[0])
        if cutoff is not None and query.issued_at <= cutoff:
            return RevocationState.REVOKED
        index = 1
        if query.family is not None:
            if answers[index] is not None:
                return RevocationState.REVOKED
            index += 1
        if query.jti is not None:
            if answers[index] is not None:
                return RevocationState.REVOKED
            if query.refresh and answers[index + 1] is not None:
                return RevocationState.RETIRED
        return RevocationState.VALID

    def revoke_token(self, jti: str, *, ttl: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_token`."""
        self._set(f"{self._prefix}jti:{jti}", ttl)

    def revoke_family(self, family: str, *, ttl: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_family`."""
        self._set(f"{self._prefix}sid:{family}", ttl)

    def revoke_subject(self, subject: str, *, issued_before: int, ttl: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_subject`: one script."""
        if ttl <= 0:
            return
        try:
            self._revoke_subject(keys=[f"{self._prefix}sub:{subject}"], args=[issued_before, ttl])
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise _unavailable() from error

    def retire(self, jti: str, *, ttl: int) -> bool:
        """See :meth:`~flask_pyjwt.RevocationStore.retire`: one ``SET NX``."""
        if ttl <= 0:
            return True  # what it concerns has expired: nothing to remember
        try:
            created = self._client.set(f"{self._prefix}used:{jti}", b"1", nx=True, ex=ttl)
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise _unavailable() from error
        return created is True

    def remember_once(self, key: str, *, ttl: int) -> bool:
        """See :meth:`~flask_pyjwt.RevocationStore.remember_once`: one ``SET NX``."""
        if ttl <= 0:
            return True
        try:
            created = self._client.set(f"{self._prefix}once:{{{key}}}", b"1", nx=True, ex=ttl)
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise _unavailable() from error
        return created is True

    def _set(self, key: str, ttl: int) -> None:
        if ttl <= 0:
            return
        try:
            self._client.set(key, b"1", ex=ttl)
        except Exception as error:  # anything at all: a 503, never a 500 (see the class)
            raise _unavailable() from error

    def __repr__(self) -> str:
        return f"RedisRevocationStore(prefix={self._prefix!r})"


def _connection_class(url: str) -> type[object]:
    """The redis-py connection class ``Redis.from_url`` picks for ``url``'s scheme."""
    scheme = urlsplit(url).scheme
    name = {"rediss": "SSLConnection", "unix": "UnixDomainSocketConnection"}.get(scheme)
    return cast("type[object]", _attribute("redis.connection", name or "Connection"))


def _cutoff(value: object) -> int | None:
    """A subject's cut-off (``None``: there is none); anything else but the decimal
    integer the store writes is unreadable, a store failure, never "no cut-off"."""
    if value is None:
        return None
    if isinstance(value, (bytes, str)) and len(value) <= 20:  # int() is slow on long text
        try:
            return int(value)
        except ValueError:
            pass
    raise _unreadable("a subject's cut-off is not an integer")


def _unreadable(what: str) -> RevocationUnavailableError:
    """The error for an answer the store cannot read (what it was, chained for logs)."""
    error = _unavailable()
    error.__cause__ = ValueError(f"Redis answered: {what}")
    return error


def _unavailable() -> RevocationUnavailableError:
    # Raised from the client's error (its class and message may name hosts), chained
    # for the app's logs; the client of the app is told only that the service is
    # unavailable.
    return RevocationUnavailableError(UNAVAILABLE_MESSAGE)
