"""A :class:`~flask_pyjwt.RevocationStore` in Redis (or Valkey), shared by every app
process and machine that uses the same server and key prefix. No Flask here.

redis-py is an optional dependency (``pip install 'flask_pyjwt[redis]'``): it is
imported when a store is made, never when flask_pyjwt is.

Keys (``<prefix>`` defaults to ``flask_pyjwt:``), each written with an absolute expiry
(``EXAT``) at the time after which it no longer matters, so Redis never grows without
bound::

    <prefix>jti:<jti>     a revoked token
    <prefix>sid:<sid>     a revoked session (refresh-token family)
    <prefix>sub:<sub>     a subject's cut-off: its tokens with iat <= this are revoked
    <prefix>used:<jti>    a rotated (retired) refresh token
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Final, Protocol, cast

from .config import DEFAULT_REVOCATION_PREFIX
from .errors import RevocationStoreError
from .revocation import RevocationQuery, RevocationState

DEFAULT_PREFIX: Final = DEFAULT_REVOCATION_PREFIX
"""The key prefix of :class:`RedisRevocationStore` unless one is given."""

# Raise a subject's cut-off (never lower it) and keep the later of the two expiries, in
# one atomic step. PTTL and TIME work on every Redis since 2.6 (EXPIRETIME needs 7.0).
_REVOKE_SUBJECT: Final = """
local cutoff = tonumber(ARGV[1])
local expires_at = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current > cutoff then cutoff = current end
local pttl = redis.call('PTTL', KEYS[1])
if pttl > 0 then
  local now = redis.call('TIME')
  local existing = tonumber(now[1]) + math.ceil(pttl / 1000)
  if existing > expires_at then expires_at = existing end
end
redis.call('SET', KEYS[1], cutoff, 'EXAT', expires_at)
return cutoff
"""

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

    def set(
        self, name: str, value: bytes, /, *, nx: bool = False, exat: int | None = None
    ) -> object:
        """``SET`` with an absolute expiry (``EXAT``), only if absent with ``nx``."""
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


def _client_errors() -> tuple[type[Exception], ...]:
    """What a failing Redis raises (its errors, and OS-level socket errors)."""
    return (cast("type[Exception]", _attribute("redis.exceptions", "RedisError")), OSError)


class RedisRevocationStore:
    """Revocations in Redis: one ``MGET`` per protected request, atomic rotation.

    Args:
        client: a ``redis.Redis`` client. Its settings are used as given; for a
            protected request to fail fast (a 503 within a second) when Redis is
            unreachable, give it short socket timeouts and few retries, as
            :meth:`from_url` does (see the docs' "Logout and revocation").
        prefix: put before every key, so several apps can share one Redis.

    Raises:
        ImportError: redis-py is not installed.
        ValueError: an empty prefix.
    """

    def __init__(self, client: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._errors = _client_errors()
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

        The client waits at most ``timeout`` seconds to connect and for each answer, and
        does not retry: an unreachable Redis turns into a 503 in well under a second.

        Raises:
            ImportError: redis-py is not installed.
        """
        redis_class = cast("_RedisClass", _attribute("redis", "Redis"))
        no_backoff = cast("type[object]", _attribute("redis.backoff", "NoBackoff"))
        retry = cast("Callable[[object, int], object]", _attribute("redis.retry", "Retry"))
        client = redis_class.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=retry(no_backoff(), 0),
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
        except self._errors as error:
            raise _unavailable(error) from error
        answers = cast("list[object]", values) if isinstance(values, list) else None
        if answers is None or len(answers) != len(keys):
            raise RevocationStoreError("Redis answered MGET with something unexpected.")
        cutoff = _integer(answers[0])
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

    def revoke_token(self, jti: str, *, expires_at: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_token`."""
        self._set(f"{self._prefix}jti:{jti}", expires_at)

    def revoke_family(self, family: str, *, expires_at: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_family`."""
        self._set(f"{self._prefix}sid:{family}", expires_at)

    def revoke_subject(self, subject: str, *, issued_before: int, expires_at: int) -> None:
        """See :meth:`~flask_pyjwt.RevocationStore.revoke_subject`: one script."""
        try:
            self._revoke_subject(
                keys=[f"{self._prefix}sub:{subject}"], args=[issued_before, expires_at]
            )
        except self._errors as error:
            raise _unavailable(error) from error

    def retire(self, jti: str, *, expires_at: int) -> bool:
        """See :meth:`~flask_pyjwt.RevocationStore.retire`: one ``SET NX``."""
        try:
            created = self._client.set(f"{self._prefix}used:{jti}", b"1", nx=True, exat=expires_at)
        except self._errors as error:
            raise _unavailable(error) from error
        return created is True

    def _set(self, key: str, expires_at: int) -> None:
        try:
            self._client.set(key, b"1", exat=expires_at)
        except self._errors as error:
            raise _unavailable(error) from error

    def __repr__(self) -> str:
        return f"RedisRevocationStore(prefix={self._prefix!r})"


def _integer(value: object) -> int | None:
    if isinstance(value, (bytes, str)):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _unavailable(error: Exception) -> RevocationStoreError:
    # The class name says enough (ConnectionError, TimeoutError, ...); the message of a
    # client error may name hosts and is kept for the chained traceback in the logs.
    name = type(error).__name__
    return RevocationStoreError(f"The revocation store (Redis) did not answer: {name}.")
