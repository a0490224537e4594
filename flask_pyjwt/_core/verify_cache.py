"""The verified-token cache: what a full verification proved about a token, kept per app.

A client presents the same token on every request of its life. Parsing it, checking its
signature and its static claims gives the same answer every time, so that answer is kept
here, keyed by the exact compact string, and reused. What can change between two
presentations of one token is checked again on every use, by the codec and the request
flow, never here: the times (``exp``, ``nbf``, ``iat`` against the clock, with
``JWT_LEEWAY``), freshness, revocation, the route's requirements and CSRF.

What is kept, and what is not (the security argument is in the docs' security page):

* Only a token that passed a full verification is ever stored. A refused token is never
  stored, in any form: not as accepted, not as refused, not in the admission filter. An
  attacker's invalid tokens therefore cost a full check each (the signature is checked
  before the payload is parsed) and cannot evict anything.
* A token is admitted on its *second* successful verification within a while: the first
  one only puts the token in a bounded admission filter (two generations of at most
  ``size`` tokens each). A token seen once (most of a pool of distinct tokens) costs one
  set insertion, never an entry. Flooding the filter, which takes valid tokens, only
  delays admission.
* Each entry is stamped with the verifier's key generation read *before* the
  verification; an entry whose generation differs from the verifier's current one is
  never used (and the whole cache is dropped when the generation changes), so a key
  rotation or an identity provider's key refresh ends every verdict made with the old
  keys, even one made while the keys were being replaced.
* Bounded: at most ``size`` entries, least recently used evicted first; tokens longer
  than :data:`MAX_CACHED_TOKEN_LENGTH` characters are never stored. Every operation is
  O(1); storing and dropping entries take one lock, a hit and a first verification
  none (each of their dictionary and set operations is atomic).

No Flask here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Final

from .tokens import Token

MAX_CACHED_TOKEN_LENGTH: Final = 2048
"""Tokens longer than this many characters are verified in full every time, never cached
(an entry's memory grows with its token; real tokens are a few hundred characters)."""

DEFAULT_VERIFY_CACHE_SIZE: Final = 2048
"""Default ``JWT_VERIFY_CACHE_SIZE``: verified tokens kept per app."""

CacheEntry = tuple[Token, float, float, int]
"""A verified token, its ``exp``, the later of its ``iat`` and ``nbf`` (as the token says
them, before any rounding), and the key generation it was verified under."""


def _not_before(token: Token) -> float:
    claims = token.claims
    iat = claims["iat"]
    nbf = claims.get("nbf")
    # Validated numbers (validate_claims refused anything else before the token existed).
    assert isinstance(iat, (int, float))
    if isinstance(nbf, (int, float)) and nbf > iat:
        return nbf
    return iat


def _expiry(token: Token) -> float:
    exp = token.claims["exp"]
    assert isinstance(exp, (int, float))
    return exp


class VerifiedTokenCache:
    """Verified tokens of one app and key set, by their exact compact string.

    Args:
        size: the most entries kept (at least 1; an app with ``JWT_VERIFY_CACHE_SIZE``
            ``0`` has no cache at all). The admission filter remembers between ``size``
            and ``2 * size`` tokens verified once.
    """

    __slots__ = ("_entries", "_generation", "_lock", "_seen", "_seen_before", "_size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a verified-token cache holds at least 1 entry, got {size}")
        self._size = size
        self._entries: OrderedDict[str, CacheEntry] = OrderedDict()
        # The admission filter: the tokens verified once, in two generations of at most
        # `size` each (when one fills up it becomes the old one). It holds the strings
        # themselves (a string keeps its hash); they are at most MAX_CACHED_TOKEN_LENGTH
        # characters.
        self._seen: set[str] = set()
        self._seen_before: set[str] = set()
        self._generation: int | None = None
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """The most entries kept."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, token: object) -> bool:
        return token in self._entries

    def tokens(self) -> list[str]:
        """The tokens held, least recently used first (the next to be evicted)."""
        with self._lock:
            return list(self._entries)

    @property
    def remembered(self) -> int:
        """How many tokens verified once the admission filter remembers now."""
        return len(self._seen) + len(self._seen_before)

    def get(self, token: str, generation: int) -> CacheEntry | None:
        """The entry of ``token`` verified under key ``generation``, or ``None``.

        A ``generation`` other than the one the cache holds entries for drops them all
        first: the keys changed.
        """
        if generation != self._generation:
            with self._lock:
                self._entries.clear()
                self._seen, self._seen_before = set(), set()
                self._generation = generation
            return None
        # No lock on a hit: each OrderedDict operation is atomic, and an entry evicted
        # between the two is simply not moved.
        entries = self._entries
        entry = entries.get(token)
        if entry is not None:
            try:  # noqa: SIM105 - the plain statement on the hit path
                entries.move_to_end(token)
            except KeyError:  # pragma: no cover - evicted by another thread just now
                pass
        return entry

    def admit(self, token: str, verified: Token, generation: int) -> None:
        """Record that ``token`` passed a full verification under key ``generation``.

        Stored on the second such verification while the admission filter remembers it;
        never when the keys changed since ``generation`` was read, nor for a token
        longer than :data:`MAX_CACHED_TOKEN_LENGTH`.
        """
        if len(token) > MAX_CACHED_TOKEN_LENGTH or generation != self._generation:
            return
        # A first verification only touches the filter, without the lock: set operations
        # are atomic, and a race can only lose a mark (one more verification before
        # admission), never admit a token that was not verified.
        seen = self._seen
        if token not in seen and token not in self._seen_before:
            seen.add(token)
            if len(seen) >= self._size:  # a new generation; the old one is kept one round
                self._seen_before = seen
                self._seen = set()
            return
        with self._lock:
            if generation != self._generation:
                return
            entries = self._entries
            entries[token] = (verified, _expiry(verified), _not_before(verified), generation)
            entries.move_to_end(token)
            if len(entries) > self._size:
                entries.popitem(last=False)

    def discard(self, token: str) -> None:
        """Forget ``token`` (it expired)."""
        with self._lock:
            self._entries.pop(token, None)

    def clear(self) -> None:
        """Forget every entry and every token the admission filter remembers."""
        with self._lock:
            self._entries.clear()
            self._seen, self._seen_before = set(), set()
