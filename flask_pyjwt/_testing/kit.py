"""A clock tests move, and the ``Authorization`` header of a token the app issued."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta

from flask import Flask

from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._flask.state import app_state


class TokenClock:
    """A clock that moves only when told: pass it as ``AuthManager(app, clock=clock)``.

    Everything time-dependent in the extension reads it: the ``iat``/``exp`` of issued
    tokens and their expiry check, cookies' ``Max-Age``, freshness, the revocation
    store's lifetimes, the identity provider's key cache and the verified-token cache.
    A :class:`FakeIdentityProvider` given the same clock stamps its tokens with it.

    Args:
        start: the time it shows first, in seconds since the epoch (default: now).

    Attributes:
        now: the time it shows, in seconds since the epoch (settable).
    """

    __slots__ = ("now",)

    def __init__(self, start: float | None = None) -> None:
        self.now: float = float(int(time.time()) if start is None else start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float | timedelta) -> float:
        """Move the clock forward by ``seconds`` (a number or a :class:`~datetime.timedelta`)
        and return the new time.

        Raises:
            ValueError: ``seconds`` is negative (time does not run backwards; set
                :attr:`now` to mean it).
        """
        step = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
        if step < 0:
            raise ValueError(f"advance() takes a duration of at least 0 seconds, got {step}")
        self.now += step
        return self.now

    def __repr__(self) -> str:
        return f"TokenClock(now={self.now!r})"


def auth_header(
    app: Flask,
    subject: str,
    *,
    scope: JSONInput = None,
    claims: Mapping[str, JSONInput] | None = None,
    fresh: bool | int | timedelta = False,
) -> dict[str, str]:
    """The ``Authorization`` header of an auth token issued by ``app``'s own
    :class:`~flask_pyjwt.AuthManager`, to pass as ``client.get(..., headers=...)``
    (the app's ``JWT_HEADER_NAME`` and ``JWT_HEADER_SCHEME`` when it sets them).

    Args:
        app: an app with an AuthManager that can issue tokens.
        subject: the token's ``sub``.
        scope: its ``scope``, as :meth:`~flask_pyjwt.AuthManager.auth_token` takes it.
        claims: its custom claims.
        fresh: as :meth:`~flask_pyjwt.AuthManager.auth_token`'s ``fresh``.

    Raises:
        NotInitializedError: ``app`` has no AuthManager.
        MissingSignerError: the app only verifies (an identity provider's app: use
            :meth:`FakeIdentityProvider.token`).
        ValueError, TypeError: what ``auth_token`` refuses.
    """
    token = issue_auth_token(app, subject, scope=scope, claims=claims, fresh=fresh)
    # Framed as the app reads it: JWT_HEADER_NAME and JWT_HEADER_SCHEME ("" is bare).
    framing = app_state(app).codec.settings.transport.header
    return {framing.name: f"{framing.scheme} {token}" if framing.scheme else token}


def issue_auth_token(
    app: Flask,
    subject: str,
    *,
    scope: JSONInput,
    claims: Mapping[str, JSONInput] | None,
    fresh: bool | int | timedelta,
    dpop_jkt: str | None = None,
) -> str:
    """The signed auth token ``app``'s own AuthManager issues (for :func:`auth_header`
    and :func:`~flask_pyjwt.testing.dpop_auth_header`)."""
    manager = app_state(app).manager
    with app.app_context():
        token = manager.auth_token(subject, scope, claims=claims, fresh=fresh, dpop_jkt=dpop_jkt)
    return token.signed
