"""Revocation and refresh rotation for one app, over its :class:`RevocationStore`.
No Flask here.

A *session* is the family of tokens that descend from one login: the refresh token
issued then starts it (its ``sid``), every refresh token rotated from it carries the
same ``sid``, and so do the auth tokens issued for it. Revoking the session refuses
them all; presenting a retired (already rotated) refresh token again is *reuse*, which
revokes the whole session (RFC 9700 4.14.2): whoever holds the stolen copy and the
legitimate holder both have to log in again.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Final, NoReturn

from .errors import (
    LegacyTokenRevocationError,
    RefreshTokenReusedError,
    RevocationUnavailableError,
    TokenRevokedError,
)
from .revocation import (
    RETIRED,
    REVOKED,
    VALID,
    KeepsAnswers,
    MemoryRevocationStore,
    RevocationQuery,
    RevocationStore,
)
from .tokens import RefreshToken, SessionId, Token

LOGGER: Final = logging.getLogger("flask_pyjwt")

LONGEST_FACT: Final = 100 * 365 * 86400
"""No fact is kept longer than a century, whatever a token's ``exp`` says (a store
may refuse absurd lifetimes: Redis does beyond 2**63 milliseconds)."""


def session_of(refresh: RefreshToken) -> SessionId:
    """The session (family) id of ``refresh``: its ``sid``, or for a refresh token
    issued before sessions existed, its ``rid``."""
    return refresh.sid if refresh.sid is not None else SessionId(refresh.rid)


def session_for(subject: object, session: object) -> object:
    """What ``auth_token(subject, session=session)`` puts in ``sid`` (checked further,
    as any option, by ``issue_options``): a refresh token's session, or the id given.

    Raises:
        ValueError: a refresh token of another subject.
        TypeError: a compact token, which in ``sid`` would hand the refresh token to
            whoever sees the auth token (a session id never has a dot).
    """
    if isinstance(session, RefreshToken):
        # (a subject that is not a str is check_subject's TypeError, later)
        if isinstance(subject, str) and session.sub != subject:
            raise ValueError(
                "session is a refresh token of another subject; an auth token joins only "
                "a session of its own subject"
            )
        return session_of(session)
    if isinstance(session, str) and "." in session:
        raise TypeError(
            "session looks like a compact token, not a session id; pass the refresh "
            "token itself (session=refresh) or its sid (session=refresh.sid)"
        )
    return session


def _family(token: Token) -> str | None:
    # Refresh tokens issued before sessions existed carry no sid: their rid (unique per
    # refresh token) is then their family.
    if isinstance(token, RefreshToken):
        return session_of(token)
    return token.sid


def _exp(token: Token) -> float:
    # The claim as signed: Token.exp is a whole number of seconds (rounded down), while
    # the token is accepted until its exact exp, fraction included.
    exp = token.claims.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return exp
    return token.exp


def _token_id(token: Token) -> str | None:
    # A legacy 1.x token has no jti (it reads as ""); a legacy refresh token's unique rid
    # still identifies it, so it can be revoked and rotated.
    if token.jti:
        return token.jti
    return token.rid if isinstance(token, RefreshToken) else None


class Sessions:
    """What an app does with its revocation store.

    Args:
        store: where revocations live.
        horizon: seconds a revocation of a session or subject is kept, leeway included:
            the longest lifetime of a token the app accepts (no token issued before
            the revocation outlives it; see ``JWT_REVOCATION_HORIZON``). A session
            revocation is kept longer when the token revoked lives longer.
        leeway: ``JWT_LEEWAY``, seconds tokens are accepted after their ``exp``.
        fail_open: accept tokens when the store does not answer (logging each time).
        clock: the time source, in seconds since the epoch.
        grace: ``JWT_ROTATION_GRACE``, seconds after a rotation during which the
            rotated refresh token presented again is not reuse: it is accepted, and
            rotating it again gives the same successor (``jti``) as the first rotation.
    """

    __slots__ = ("_clock", "_fail_open", "_grace", "_horizon", "_keeper", "_leeway", "store")

    def __init__(
        self,
        store: RevocationStore,
        *,
        horizon: int,
        leeway: int = 0,
        fail_open: bool = False,
        clock: Callable[[], float] = time.time,
        grace: int = 0,
    ) -> None:
        self.store = store
        # A store that keeps answers in this process is asked by the token's compact
        # form first: a token it has answered costs no query (see KeepsAnswers).
        self._keeper = store if isinstance(store, KeepsAnswers) else None
        self._grace = grace
        self._horizon = horizon
        self._leeway = leeway
        self._fail_open = fail_open
        self._clock = clock

    def check(self, token: Token) -> None:
        """Raise unless ``token`` (already verified) is still usable.

        A retired refresh token presented again revokes its whole session first.

        Raises:
            TokenRevokedError: the token, its session or its subject was revoked.
            RefreshTokenReusedError: a rotated refresh token presented again.
            RevocationUnavailableError: the store did not answer (unless failing open).
        """
        store = self.store
        # The in-process store (not a subclass) with nothing recorded, what most apps
        # have: VALID without building the query.
        if type(store) is MemoryRevocationStore and not store:
            return
        keeper = self._keeper
        if keeper is not None and keeper.known_valid(token.signed):
            return
        try:
            if keeper is None:
                state = store.status(_query(token))
            else:
                state = keeper.status_of(token.signed, _query(token))
        except RevocationUnavailableError:
            if not self._fail_open:
                raise
            LOGGER.warning(
                "the revocation store did not answer; JWT_REVOCATION_FAIL_OPEN is set, so "
                "a %s token was accepted without a revocation check",
                token.token_type.value,
            )
            return
        if state is VALID:
            return
        if state is REVOKED:
            raise TokenRevokedError("The token has been revoked.")
        if state is RETIRED:
            assert isinstance(token, RefreshToken)
            if self._grace > 0 and self._in_grace(token) is not None:
                return  # presented again just after its rotation: rotate() hands out the same
            self._reuse(token)

    def remember_once(self, key: str, *, ttl: int) -> bool:
        """Whether ``key`` is new (a DPoP proof's replay key), remembering it for ``ttl``
        seconds; when the store does not answer and the app fails open, ``True``
        (logged).

        Raises:
            RevocationUnavailableError: the store did not answer (unless failing open).
        """
        try:
            return self.store.remember_once(key, ttl=ttl)
        except RevocationUnavailableError:
            if not self._fail_open:
                raise
            LOGGER.warning(
                "the revocation store did not answer; JWT_REVOCATION_FAIL_OPEN is set, so "
                "a DPoP proof was accepted without a replay check"
            )
            return True

    def revoke(self, token: Token, *, end_session: bool = False) -> None:
        """Refuse ``token`` from now on; for a refresh token (or with ``end_session``
        for an auth token that belongs to one), its whole session.

        ``token`` is verified, possibly expired: an expired token needs no revocation
        of its own, but its session still ends (a successor rotated from it may be
        alive).

        Raises:
            LegacyTokenRevocationError: an unexpired auth token without ``jti`` (1.x,
                or an identity provider's).
            RevocationUnavailableError: the store did not answer.
        """
        ttl = self._token_ttl(token)
        if ttl > 0:  # an expired token needs no revocation of its own
            token_id = _token_id(token)
            if token_id is None:
                raise LegacyTokenRevocationError(
                    "this auth token has no jti (a Flask_PyJWT 1.x token, or an identity "
                    "provider's that leaves it out), so it cannot be revoked on its own; "
                    "revoke_subject(sub) revokes it with the subject's other tokens"
                )
            self.store.revoke_token(token_id, ttl=ttl, subject=token.sub)
        family = _family(token)
        if family is not None and (end_session or isinstance(token, RefreshToken)):
            self.store.revoke_family(family, ttl=self._session_ttl(token), subject=token.sub)

    def revoke_subject(self, subject: str) -> None:
        """Refuse every token of ``subject`` issued until now (this second included).

        Raises:
            RevocationUnavailableError: the store did not answer.
        """
        self.store.revoke_subject(subject, issued_before=int(self._clock()), ttl=self._horizon)

    def retire(self, refresh: RefreshToken, successor: str) -> tuple[str, str]:
        """Take ``refresh`` out of use for a rotation into the refresh token whose ``jti``
        is ``successor``; return its session's id and the ``jti`` the successor must have.

        Exactly one of any number of concurrent rotations of one refresh token gets
        here with its own ``successor`` back; every other one, and any later
        presentation of it, is reuse, except within ``JWT_ROTATION_GRACE`` of the
        winning rotation, which gets the winner's ``jti`` back instead (the caller
        issues an equivalent successor, not a new branch of the session). Never fails
        open: without the store, single use cannot be guaranteed. A store client that
        re-sends its write after a timeout finds its own record: the same rotation,
        never reuse.

        Raises:
            TokenRevokedError: the token or its session was revoked.
            RefreshTokenReusedError: it was already rotated (its session is now revoked).
            RevocationUnavailableError: the store did not answer.
        """
        state = self.store.status(_query(refresh))
        if state is REVOKED:
            raise TokenRevokedError("The token has been revoked.")
        if state is RETIRED and self._grace <= 0:
            self._reuse(refresh)
        token_id = _token_id(refresh)
        assert token_id is not None  # a refresh token has a jti or a rid
        record = f"{successor} {self._clock():.3f}"
        # A copy of this token handed out again within the grace window (same jti) may
        # expire up to the window later than this one: it stays retired until then. The
        # extra second covers the time between issuing the first copy and its record.
        ttl = self._token_ttl(refresh) + (self._grace + 1 if self._grace > 0 else 0)
        kept = self.store.retire(
            token_id, ttl=min(ttl, LONGEST_FACT), subject=refresh.sub, record=record
        )
        if kept != record:
            earlier = self._grace_successor(kept)
            if earlier is None:
                self._reuse(refresh)
            successor = earlier
        family = _family(refresh)
        assert family is not None
        return family, successor

    def _in_grace(self, refresh: RefreshToken) -> str | None:
        """The successor ``jti`` of a retired ``refresh`` rotated less than the grace
        window ago, else ``None``."""
        token_id = _token_id(refresh)
        assert token_id is not None
        return self._grace_successor(self.store.rotation(token_id, subject=refresh.sub))

    def _grace_successor(self, record: str | None) -> str | None:
        # A record is "<successor jti> <time of the rotation>" (see retire); anything
        # else (a record written before grace windows existed) is never in grace.
        if record is None or self._grace <= 0:
            return None
        successor, _, at = record.partition(" ")
        try:
            rotated_at = float(at)
        except ValueError:
            return None
        if successor and abs(self._clock() - rotated_at) <= self._grace:  # clocks differ a bit
            return successor
        return None

    def _reuse(self, refresh: RefreshToken) -> NoReturn:
        family = _family(refresh)
        assert family is not None
        self.store.revoke_family(family, ttl=self._session_ttl(refresh), subject=refresh.sub)
        LOGGER.warning(
            "a rotated refresh token was presented again: its session was revoked (subject %r)",
            refresh.sub,
        )
        raise RefreshTokenReusedError(
            "This refresh token was already used; its session has been revoked. Log in again."
        )

    def _token_ttl(self, token: Token) -> int:
        """Seconds from now on the app's clock until ``token`` can no longer be accepted:
        its ``exp`` as signed (a fraction of a second rounded up, never down) plus leeway.
        Stores get this relative lifetime, never an absolute time, so that one whose
        clock is ahead of the app's still keeps the fact as long as the token lives."""
        return min(math.ceil(_exp(token) + self._leeway - self._clock()), LONGEST_FACT)

    def _session_ttl(self, token: Token) -> int:
        """Seconds a session revocation is kept: the horizon (every token of the session
        issued so far expires within it), or longer if the token revoked lives longer."""
        return max(self._horizon, self._token_ttl(token))


def _query(token: Token) -> RevocationQuery:
    if type(token) is RefreshToken:
        family = token.sid if token.sid is not None else token.rid
        return RevocationQuery._make((token.jti or token.rid, token.sub, token.iat, family, True))
    return RevocationQuery._make((token.jti or None, token.sub, token.iat, token.sid, False))
