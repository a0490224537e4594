"""Revocation state shared by every process of an app: the store Protocol and the
in-process store. No Flask here.

A store records four kinds of fact, each for a given number of seconds after which it
no longer matters (the tokens it concerns have expired), and answers one question per
request:

- a token is revoked (by ``jti``);
- a session is revoked: every token of one refresh-token family (by ``sid``);
- a subject is revoked: every token of ``sub`` issued at or before a time;
- a refresh token is retired: it was rotated, so presenting it again is reuse;
- an id was seen once (a DPoP proof's ``jti``): seeing it again is a replay.

:class:`MemoryRevocationStore` keeps them in this process;
:class:`~flask_pyjwt.redis.RedisRevocationStore` in Redis, shared by every process and machine.
"""

from __future__ import annotations

import enum
import heapq
import threading
import time
from collections.abc import Callable
from typing import Final, Literal, NamedTuple, Protocol, runtime_checkable


class RevocationState(enum.Enum):
    """What a store says about a token."""

    VALID = "valid"
    """Nothing recorded refuses it."""

    REVOKED = "revoked"
    """The token, its session (family) or its subject was revoked."""

    RETIRED = "retired"
    """A refresh token that was already rotated: presenting it again is reuse."""


# The members as module constants: the answer is compared on every protected request.
VALID: Final = RevocationState.VALID
REVOKED: Final = RevocationState.REVOKED
RETIRED: Final = RevocationState.RETIRED


class RevocationQuery(NamedTuple):
    """The parts of a verified token a store looks at (built once per protected request).

    Attributes:
        jti: the token's id; ``None`` for a legacy 1.x token, which has none.
        subject: the ``sub`` claim.
        issued_at: the ``iat`` claim, seconds since the epoch.
        family: the session (refresh-token family) the token belongs to (``sid``), if any.
        refresh: whether it is a refresh token (only those can be retired).
    """

    jti: str | None
    subject: str
    issued_at: int
    family: str | None
    refresh: bool


class RevocationStore(Protocol):
    """Where revocations live. Every method may be called from many threads at once.

    An implementation must guarantee:

    * **Durability for its lifetime**: a fact recorded with ``ttl`` is reported by
      :meth:`status` for ``ttl`` seconds from the moment it is recorded, measured on
      the store's own clock, and may be forgotten after them; nothing is ever forgotten
      earlier (no eviction under memory pressure). A lifetime is relative, never an
      absolute time, so that a store whose clock differs from the app's (a Redis
      server on another machine) still keeps each fact as long as the app needs it.
      A ``ttl`` of zero or less records nothing (what it concerns has expired).
    * **One round trip**: :meth:`status` answers from one read of shared state (Redis:
      one command), since it runs on every protected request.
    * **Atomic retirement**: :meth:`retire` records a refresh token as used and says
      whether it was the first to do so, in one atomic step: of any number of
      concurrent calls for one ``jti``, across every process sharing the store,
      exactly one gets its own record back.
    * **Subject locality**: every write names the token's subject, so that a store
      spread over several servers (Redis Cluster) can keep all of a subject's facts
      on one and answer :meth:`status` from it.
    * **Monotonic subject cut-offs**: :meth:`revoke_subject` never moves a subject's
      cut-off back in time.
    * **Failure is loud**: a store that cannot answer raises
      :class:`~flask_pyjwt.errors.RevocationUnavailableError`; it never reports ``VALID``
      for a state it could not read.
    """

    def status(self, query: RevocationQuery) -> RevocationState:
        """Whether the token ``query`` describes is refused, and why."""
        ...

    def revoke_token(self, jti: str, *, ttl: int, subject: str) -> None:
        """Refuse the token with this ``jti`` (of ``subject``) for ``ttl`` seconds (until
        it expires)."""
        ...

    def revoke_family(self, family: str, *, ttl: int, subject: str) -> None:
        """Refuse every token of the session ``family`` (of ``subject``) for ``ttl``
        seconds."""
        ...

    def revoke_subject(self, subject: str, *, issued_before: int, ttl: int) -> None:
        """Refuse ``subject``'s tokens with ``iat <= issued_before`` (seconds since the
        epoch, as the tokens' ``iat``) for ``ttl`` seconds, or longer if an earlier call
        asked for longer."""
        ...

    def retire(self, jti: str, *, ttl: int, subject: str, record: str) -> str:
        """Mark a refresh token (of ``subject``) as rotated for ``ttl`` seconds, keeping
        ``record`` (text unique to this rotation) with it, and return the record kept:
        ``record`` itself for the first call for ``jti`` (and for a ``ttl`` of zero or
        less, which records nothing), the first call's record for every later one. A
        call repeated with the same ``record`` (a client's retry after a timeout) gets
        ``record`` back: it is the same rotation, not a second one."""
        ...

    def rotation(self, jti: str, *, subject: str) -> str | None:
        """The record :meth:`retire` kept for ``jti``, or ``None`` if it is not retired."""
        ...

    def remember_once(self, key: str, *, ttl: int) -> bool:
        """Remember ``key`` for ``ttl`` seconds; ``True`` only if it was not remembered
        already. Atomic like :meth:`retire` (of concurrent calls for one ``key``, across
        every process sharing the store, exactly one returns ``True``), in a namespace of
        its own. Used to refuse a replayed DPoP proof."""
        ...


@runtime_checkable
class KeepsAnswers(Protocol):
    """A :class:`RevocationStore` that keeps answers in this process (the Redis store's
    local cache), asked by a token's compact form: a token it has answered before costs
    a dictionary lookup, not a query (what :class:`MemoryRevocationStore` costs)."""

    def known_valid(self, token: str) -> bool:
        """Whether ``token`` (a verified compact JWT) was answered ``VALID`` before and
        this process knows of nothing since that changes it, within the store's
        freshness bound; ``False`` asks :meth:`status_of`."""
        ...

    def status_of(self, token: str, query: RevocationQuery) -> RevocationState:
        """:meth:`RevocationStore.status` of ``query``, the query of ``token``, keeping a
        ``VALID`` answer for :meth:`known_valid`."""
        ...


_Kind = Literal["jti", "family", "subject", "retired", "once"]


class MemoryRevocationStore:
    """The in-process :class:`RevocationStore`, the default of every ``AuthManager``.

    Thread-safe; holds only live facts (each dropped once the time it was recorded for
    has passed, checked whenever a fact is recorded and every so many reads), and never
    evicts a live one. Only one process sees it: apps served by several processes or
    machines share revocations through :class:`~flask_pyjwt.redis.RedisRevocationStore`.

    Args:
        clock: the time source, in seconds since the epoch (for tests).
    """

    _PURGE_EVERY_READS = 1024

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._facts: dict[tuple[_Kind, str], float] = {}
        self._cutoffs: dict[str, int] = {}
        self._records: dict[str, str] = {}
        self._expiry: list[tuple[float, _Kind, str]] = []
        self._reads = 0

    def __len__(self) -> int:
        """How many facts are held (live ones, and expired ones not yet dropped)."""
        with self._lock:
            return len(self._facts)

    def __bool__(self) -> bool:
        """Whether any fact is held (``len(store) > 0``, without the lock: one truth
        test, as :meth:`status` reads; with none, every token is ``VALID``)."""
        return bool(self._facts)

    def status(self, query: RevocationQuery) -> RevocationState:
        """See :meth:`RevocationStore.status`.

        Reads take no lock: each dictionary read is atomic, and a fact recorded while
        a read runs is seen by the next read, as if it had been recorded just after.
        Nothing recorded at all (the usual case) costs one truth test.
        """
        facts = self._facts
        if not facts:
            return VALID
        now = self._clock()
        self._reads += 1  # a heuristic: a lost increment only delays a purge
        if self._reads >= self._PURGE_EVERY_READS:
            with self._lock:
                self._reads = 0
                self._purge(now)
        jti = query.jti
        if jti is not None and _live(facts.get(("jti", jti)), now):
            return REVOKED
        family = query.family
        if family is not None and _live(facts.get(("family", family)), now):
            return REVOKED
        subject = query.subject
        if _live(facts.get(("subject", subject)), now):
            cutoff = self._cutoffs.get(subject)
            if cutoff is not None and query.issued_at <= cutoff:
                return REVOKED
        if query.refresh and jti is not None and _live(facts.get(("retired", jti)), now):
            return RETIRED
        return VALID

    def revoke_token(self, jti: str, *, ttl: int, subject: str = "") -> None:
        """See :meth:`RevocationStore.revoke_token` (``subject`` is not needed here)."""
        del subject
        self._record("jti", jti, ttl)

    def revoke_family(self, family: str, *, ttl: int, subject: str = "") -> None:
        """See :meth:`RevocationStore.revoke_family` (``subject`` is not needed here)."""
        del subject
        self._record("family", family, ttl)

    def revoke_subject(self, subject: str, *, issued_before: int, ttl: int) -> None:
        """See :meth:`RevocationStore.revoke_subject`."""
        with self._lock:
            if self._record_locked("subject", subject, ttl):
                previous = self._cutoffs.get(subject)
                self._cutoffs[subject] = (
                    issued_before if previous is None else max(previous, issued_before)
                )

    def retire(self, jti: str, *, ttl: int, subject: str = "", record: str = "1") -> str:
        """See :meth:`RevocationStore.retire`."""
        del subject
        with self._lock:
            if _live(self._facts.get(("retired", jti)), self._clock()):
                return self._records.get(jti, "")
            if self._record_locked("retired", jti, ttl):
                self._records[jti] = record
            return record

    def rotation(self, jti: str, *, subject: str = "") -> str | None:
        """See :meth:`RevocationStore.rotation`."""
        del subject
        with self._lock:
            if _live(self._facts.get(("retired", jti)), self._clock()):
                return self._records.get(jti)
            return None

    def remember_once(self, key: str, *, ttl: int) -> bool:
        """See :meth:`RevocationStore.remember_once`."""
        with self._lock:
            if _live(self._facts.get(("once", key)), self._clock()):
                return False
            self._record_locked("once", key, ttl)
            return True

    def _record(self, kind: _Kind, key: str, ttl: int) -> None:
        with self._lock:
            self._record_locked(kind, key, ttl)

    def _record_locked(self, kind: _Kind, key: str, ttl: int) -> bool:
        now = self._clock()
        self._purge(now)
        if ttl <= 0:
            return False  # what it concerns has already expired: nothing to remember
        expires_at = now + ttl
        current = self._facts.get((kind, key))
        if current is None or current < expires_at:
            self._facts[(kind, key)] = expires_at
            heapq.heappush(self._expiry, (expires_at, kind, key))
        return True

    def _purge(self, now: float) -> None:
        expiry, facts = self._expiry, self._facts
        while expiry and expiry[0][0] <= now:
            expires_at, kind, key = heapq.heappop(expiry)
            if facts.get((kind, key)) == expires_at:  # not extended since
                del facts[(kind, key)]
                if kind == "subject":
                    self._cutoffs.pop(key, None)
                elif kind == "retired":
                    self._records.pop(key, None)

    def __repr__(self) -> str:
        return f"MemoryRevocationStore(facts={len(self)})"


def _live(expires_at: float | None, now: float) -> bool:
    return expires_at is not None and expires_at > now


DEFAULT_REVOCATION_PREFIX: Final = "flask_pyjwt:"
"""The start of every default Redis key prefix (and the whole default of a
``RedisRevocationStore`` made by hand); ``JWT_REVOCATION_PREFIX`` adds the issuer."""
