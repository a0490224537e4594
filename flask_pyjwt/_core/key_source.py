"""An identity provider's keys, fetched from its JWKS URL: a :class:`Verifier` that caches.

The document is hostile input and is read the way a token is: bound the size, parse
strictly, check each key, then trust. A key that cannot be used for the configured
algorithm(s) is skipped and logged; a document that cannot be used at all counts as a
failed fetch. What the cache guarantees, with ``min_refresh`` and ``max_cache`` from
the configuration:

* The first fetch happens when the first token needs it (never at import or
  ``init_app``). Until one has succeeded, a token cannot be checked:
  :class:`~flask_pyjwt.errors.KeysUnavailableError` (503 with ``Retry-After``).
* Keys are kept for the response's ``Cache-Control: max-age``, clamped to
  ``[min_refresh, max_cache]`` (``min_refresh`` without one). When they expire, one
  request thread refreshes them while the others go on with the keys held.
* A ``kid`` not in the keys held refetches at most once per ``min_refresh``, counted from
  the last fetch an unknown ``kid`` caused (the first fetch and expiry refreshes do not
  count, so the first unknown ``kid`` after them refetches at once: the provider may just
  have rotated). Threads that meet an unknown ``kid`` while a fetch is under way wait for
  it and look again, instead of fetching too.
* One fetch at a time. A failed fetch keeps the keys held (and logs a warning); no
  fetch is tried again for ``min(min_refresh, 5)`` seconds counted from when the failed
  fetch *ended*, so a provider that is down or hung is not hammered. Requests that
  waited for a first fetch that failed get their 503 at once instead of each trying
  again in turn (a hung provider costs them one timeout, not one each).
* Intervals are measured with the manager's clock (``AuthManager(clock=...)``), or
  :func:`time.monotonic`; the network deadline is always real time.

The cache policy is pure: the fetch is a :class:`KeyFetcher` and the clock a function,
both injected (``flask_pyjwt._backends.jwks.fetch_url`` does the HTTP, with a deadline for
the whole response). Tested with a fake fetcher and a clock the test moves. No Flask and
no I/O here.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, NoReturn, Protocol

from cryptography.exceptions import UnsupportedAlgorithm

from .algorithms import AuthType
from .errors import InvalidKeyError, KeysUnavailableError, UnknownKeyError
from .jwk import bind, has_private_members, key_set_members, parse_jwk
from .jwks import thumbprint
from .key_signers import KeySetVerifier, KeyVerifier
from .signing import JWSHeader
from .strict_json import JSONDecodeError, loads_object

logger: Final = logging.getLogger("flask_pyjwt.jwks")
"""Where fetches, failures and skipped keys are logged (never key material)."""

MAX_JWKS_KEYS: Final = 100
"""The most keys a JWKS document may hold; one with more is a failed fetch."""

FAILURE_BACKOFF: Final = 5
"""Seconds (at most; ``min_refresh`` if shorter) after a failed fetch before the next try."""

_MAX_AGE: Final = re.compile(r'^\s*max-age\s*=\s*"?([0-9]{1,10})"?\s*$', re.IGNORECASE)
_NO_CACHE: Final = re.compile(r"^\s*(no-cache|no-store)\s*(=.*)?$", re.IGNORECASE)


class FetchError(Exception):
    """A fetch of the JWKS document failed; the message says why (no body bytes in it)."""


class KeyFetcher(Protocol):
    """Fetches a JWKS document: the I/O behind :class:`CachedKeySet`.

    The production one is ``flask_pyjwt._backends.jwks.fetch_url`` (HTTP with a deadline
    for the whole response); tests pass a function of their own.
    """

    def __call__(self, url: str, timeout: float, /) -> tuple[bytes, str | None]:
        """GET ``url`` within ``timeout`` seconds in all: the body and its ``Cache-Control``.

        Raises:
            FetchError: the document could not be fetched (the message says why, with
                no body bytes in it).
        """
        ...


def cache_lifetime(cache_control: str | None, *, min_refresh: float, max_cache: float) -> float:
    """Seconds to keep a fetched document: ``max-age`` clamped to the configured bounds.

    No ``max-age`` (or ``no-cache``/``no-store``): ``min_refresh``. Of several
    ``max-age`` directives, none counts (RFC 9111 4.2.1: invalid).
    """
    if cache_control is None:
        return min_refresh
    ages: list[int] = []
    for directive in cache_control.split(","):
        if _NO_CACHE.match(directive):
            return min_refresh
        found = _MAX_AGE.match(directive)
        if found is not None:
            ages.append(int(found.group(1)))
    if len(ages) != 1:
        return min_refresh
    return float(min(max(ages[0], min_refresh), max_cache))


def _shown(value: object) -> str:
    # A kid from the provider's document is untrusted text: quoted, escaped, cut short.
    return repr(value)[:80] if isinstance(value, str) else "(none)"


def parse_key_set(body: bytes, algorithms: Sequence[AuthType]) -> tuple[KeySetVerifier, list[str]]:
    """The usable keys of a fetched JWKS document, and why each other key was skipped.

    Raises:
        FetchError: not a strict JSON object with a ``keys`` array, more than
            :data:`MAX_JWKS_KEYS` keys, or no key usable for ``algorithms``.
    """
    try:
        document = loads_object(body)
        members = key_set_members(document)
    except (JSONDecodeError, InvalidKeyError):
        raise FetchError("the document is not a strict JSON object with a 'keys' array") from None
    if members is None:
        raise FetchError("the document has no 'keys' member")
    if len(members) > MAX_JWKS_KEYS:
        raise FetchError(f"the document holds {len(members)} keys, more than {MAX_JWKS_KEYS}")
    skipped: list[str] = []
    by_kid: dict[str, KeyVerifier] = {}
    duplicated: set[str] = set()
    for index, obj in enumerate(members):
        where = f"keys[{index}] (kid {_shown(obj.get('kid'))})"
        if has_private_members(obj):
            skipped.append(f"{where} carries private or secret key material")
            continue
        try:
            jwk = parse_jwk(obj)
            if jwk.public is None:
                raise InvalidKeyError("is a shared secret (oct)")
            algorithm = bind(jwk, algorithms, "verify")
            kid = jwk.kid if jwk.kid is not None else thumbprint(jwk.public)
            verifier = KeyVerifier(algorithm, jwk.public, key_id=kid)
        except (ValueError, TypeError, OverflowError, UnsupportedAlgorithm) as error:
            detail = error.detail if isinstance(error, InvalidKeyError) else str(error)
            skipped.append(f"{where} {detail}")
            continue
        if kid in by_kid:
            duplicated.add(kid)
        by_kid[kid] = verifier
    for kid in sorted(duplicated):
        del by_kid[kid]
        skipped.append(f"every key with kid {_shown(kid)} (the kid is not unique)")
    if not by_kid:
        names = ", ".join(algorithm.value for algorithm in algorithms)
        raise FetchError(f"the document holds no key usable for {names}")
    return KeySetVerifier(by_kid.values()), skipped


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The keys held, when they expire (monotonic seconds), and a fetch counter."""

    keys: KeySetVerifier | None
    expires: float
    generation: int


class CachedKeySet:
    """A :class:`~flask_pyjwt.Verifier` whose keys come from an identity provider's JWKS URL.

    Args:
        url: the JWKS document's URL (checked by the configuration).
        algorithms: the allow-list (``JWT_AUTHTYPE``); every key is bound to one of them,
            never to what the document or a token says alone.
        timeout: seconds one fetch may take in all (a deadline for the whole response).
        min_refresh: see the module docstring.
        max_cache: see the module docstring.
        clock: seconds, for the cache's intervals (the manager's clock, or
            :func:`time.monotonic`).
        fetcher: does the GET (``flask_pyjwt._backends.jwks.fetch_url``; tests pass
            their own).
    """

    def __init__(
        self,
        url: str,
        algorithms: Sequence[AuthType],
        *,
        timeout: float,
        min_refresh: float,
        max_cache: float,
        clock: Callable[[], float],
        fetcher: KeyFetcher,
    ) -> None:
        self._url = url
        self._bound = tuple(algorithms)
        self._algorithms = frozenset(algorithm.value for algorithm in algorithms)
        self._timeout = timeout
        self._min_refresh = min_refresh
        self._max_cache = max_cache
        self._backoff = min(float(FAILURE_BACKOFF), min_refresh)
        self._clock = clock
        self._fetcher = fetcher
        self._lock = threading.Lock()
        self._snapshot = _Snapshot(None, -math.inf, 0)
        self._next_attempt = -math.inf  # after a failure: no fetch before this time
        self._last_unknown_fetch = -math.inf
        # Bumped only when the installed keys change (a document other than the one
        # held), so that a refresh returning the same keys keeps the verified tokens.
        self._key_generation = 0
        self._body: bytes | None = None

    @property
    def algorithms(self) -> frozenset[str]:
        """The configured algorithms (``JWT_AUTHTYPE``)."""
        return self._algorithms

    @property
    def url(self) -> str:
        """The JWKS URL."""
        return self._url

    def __repr__(self) -> str:
        return f"CachedKeySet(url={self._url!r}, algorithms={sorted(self._algorithms)!r})"

    def key_generation(self) -> int:
        """A number that changes whenever the provider's keys held here change.

        Also refreshes expired keys, as :meth:`verify` does (one thread fetches, the
        others go on), so that an app answering every request from its verified-token
        cache still picks up a rotation. Never fetches a first key set and never raises.
        """
        snapshot = self._snapshot
        if snapshot.keys is not None and self._clock() >= snapshot.expires:
            self._current()
        return self._key_generation

    def verify(self, header: JWSHeader, signing_input: bytes, signature: bytes) -> None:
        """Select the key by ``kid`` among the provider's keys and let it verify.

        Raises:
            KeysUnavailableError: no key set has been fetched yet, and fetching failed.
            UnknownKeyError: no key has the token's ``kid`` (after a refetch, if allowed).
            SignatureInvalidError, AlgorithmNotAllowedError: from the selected key.
        """
        snapshot = self._current()
        keys = snapshot.keys
        assert keys is not None
        kid = header.kid
        verifier = self._select(keys, kid)
        if verifier is None:
            if kid is None:  # several keys and no kid: a refetch would not help
                raise UnknownKeyError("No configured key matches the token's key id.")
            keys = self._refetch_for_unknown_kid(snapshot.generation)
            verifier = keys.get(kid)
            if verifier is None:
                raise UnknownKeyError("No configured key matches the token's key id.")
        verifier.verify_signature(header, signing_input, signature)

    @staticmethod
    def _select(keys: KeySetVerifier, kid: str | None) -> KeyVerifier | None:
        if kid is not None:
            return keys.get(kid)
        only = keys.key_ids
        return keys.get(next(iter(only))) if len(only) == 1 else None

    def _current(self) -> _Snapshot:
        """The keys to use now: fetched first if there are none, refreshed if expired."""
        snapshot = self._snapshot
        if snapshot.keys is not None and self._clock() < snapshot.expires:
            return snapshot
        if snapshot.keys is None:
            with self._lock:  # every thread waits for the one first fetch
                held = self._snapshot
                if held.keys is None:
                    now = self._clock()
                    # A fetch failed while this thread waited: its 503 now, not another
                    # fetch (each waiter would wait a whole timeout more).
                    if held.generation != snapshot.generation or now < self._next_attempt:
                        self._unavailable(now)
                    self._fetch(now, "first fetch")
                    if self._snapshot.keys is None:
                        self._unavailable(self._clock())
                return self._snapshot
        if self._lock.acquire(blocking=False):  # one thread refreshes; others go on
            try:
                now = self._clock()
                if now >= self._snapshot.expires and now >= self._next_attempt:
                    self._fetch(now, "refresh of expired keys")
            finally:
                self._lock.release()
        return self._snapshot

    def _refetch_for_unknown_kid(self, seen_generation: int) -> KeySetVerifier:
        with self._lock:
            snapshot = self._snapshot
            assert snapshot.keys is not None
            if snapshot.generation != seen_generation:
                return snapshot.keys  # a fetch finished while this thread waited: look there
            now = self._clock()
            if now - self._last_unknown_fetch < self._min_refresh or now < self._next_attempt:
                return snapshot.keys
            self._last_unknown_fetch = now
            self._fetch(now, "refetch for an unknown kid")
            keys = self._snapshot.keys
            assert keys is not None
            return keys

    def _unavailable(self, now: float) -> NoReturn:
        retry_after = max(1, math.ceil(self._next_attempt - now))
        raise KeysUnavailableError(
            "The identity provider's signing keys could not be fetched; try again later.",
            retry_after=retry_after,
        )

    def _fetch(self, now: float, why: str) -> None:
        """Fetch and install the key set (the caller holds the lock)."""
        held = self._snapshot
        try:
            body, cache_control = self._fetcher(self._url, self._timeout)
            keys, skipped = parse_key_set(body, self._bound)
        except FetchError as error:
            # From the end of the failed fetch: a fetch that took the whole timeout
            # must not leave the next one free to start at once.
            self._next_attempt = self._clock() + self._backoff
            self._snapshot = _Snapshot(held.keys, held.expires, held.generation + 1)
            if held.keys is None:
                logger.error(
                    "JWKS %s from %s failed: %s; no keys yet, so tokens are answered 503 "
                    "until a fetch succeeds (next try in %gs)",
                    why, self._url, error, self._backoff,
                )  # fmt: skip
            else:
                logger.warning(
                    "JWKS %s from %s failed: %s; keeping the %d keys fetched before "
                    "(next try in %gs)",
                    why, self._url, error, len(held.keys.key_ids), self._backoff,
                )  # fmt: skip
            return
        for reason in skipped:
            logger.warning("JWKS from %s: skipped %s", self._url, reason)
        lifetime = cache_lifetime(
            cache_control, min_refresh=self._min_refresh, max_cache=self._max_cache
        )
        self._next_attempt = -math.inf
        self._snapshot = _Snapshot(keys, now + lifetime, held.generation + 1)
        # After the new keys are in place: a thread that reads the new generation then
        # verifies with the new keys (one that read the old one may have used either,
        # and its verdict is dropped as stale).
        if body != self._body:
            self._body = body
            self._key_generation += 1
        logger.info(
            "JWKS %s from %s: %d keys (%s), kept for %gs",
            why, self._url, len(keys.key_ids), ", ".join(map(_shown, sorted(keys.key_ids))),
            lifetime,
        )  # fmt: skip
