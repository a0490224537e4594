"""The extension's signals, in a blinker namespace of their own (as Flask's are), and
the typed keyword arguments each one is sent with.

Every signal is sent with the Flask app as its sender. Nothing a signal carries is token
text, a secret or a key: a token is described by its subject, kind, ``jti`` and session.
A signal costs nothing while nobody is connected to it: every sender checks
``signal.receivers`` before it builds the arguments (the request path is hot).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final, Literal, TypeVar, cast

from blinker import NamedSignal, Namespace
from flask import Flask
from typing_extensions import TypedDict

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.key_source import FetchError, KeyFetcher, parse_key_set
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.tokens import AuthToken, RefreshToken, Token

logger = logging.getLogger("flask_pyjwt")

_SIGNALS: Final = Namespace()

TokenKind = Literal["auth", "refresh"]
"""A token's kind, as a signal names it."""


class TokenVerifiedArgs(TypedDict):
    """The keyword arguments of :data:`token_verified`.

    Attributes:
        sub: the token's subject.
        token_type: ``"auth"`` or ``"refresh"``.
        jti: the token's id (``None`` for a token without one: an identity provider's,
            or a 1.x token).
        source: where the request carried it: ``"header"``, ``"cookies"``, ``"query"``
            or ``"json"``.
        provider: the token source that issued it: ``"self"`` (the app's own tokens),
            ``"default"`` (``JWT_JWKS_URL``) or an identity provider's name.
        duration: seconds the check took (reading, verifying, authorizing and loading
            the user).
    """

    sub: str
    token_type: TokenKind
    jti: str | None
    source: Location
    provider: str
    duration: float


class AuthenticationFailedArgs(TypedDict):
    """The keyword arguments of :data:`authentication_failed`.

    Attributes:
        code: the error code of the response's JSON body (``"token_expired"``,
            ``"insufficient_scope"``, ...; :doc:`/errors` lists them).
        status: the response's status: 401, 403 or 503.
        source: where the refused token was carried, ``None`` when no location carried
            one (a missing token).
        duration: seconds the check took until the refusal.
    """

    code: str
    status: int
    source: Location | None
    duration: float


class TokenRevokedArgs(TypedDict):
    """The keyword arguments of :data:`token_revoked`.

    Attributes:
        sub: the token's subject.
        token_type: ``"auth"`` or ``"refresh"``.
        jti: the token's id (``None`` for an expired token without one).
        session: the id of the session (login) the token belongs to, ``None`` if none.
        session_ended: whether its whole session was revoked with it (a refresh token,
            or ``end_session=True``).
    """

    sub: str
    token_type: TokenKind
    jti: str | None
    session: str | None
    session_ended: bool


class SubjectLoggedOutArgs(TypedDict):
    """The keyword arguments of :data:`subject_logged_out`.

    Attributes:
        sub: the subject whose every token issued until now is refused.
    """

    sub: str


class RefreshTokenReusedArgs(TypedDict):
    """The keyword arguments of :data:`refresh_token_reused`.

    Attributes:
        sub: the subject of the reused refresh token.
        session: the id of the session that was revoked.
    """

    sub: str
    session: str


class KeysRefreshedArgs(TypedDict):
    """The keyword arguments of :data:`keys_refreshed`.

    Attributes:
        url: the JWKS URL (``JWT_JWKS_URL``).
        key_ids: the ``kid`` of each usable key of the document, sorted (``""`` for a
            key without one).
        duration: seconds the fetch took.
    """

    url: str
    key_ids: tuple[str, ...]
    duration: float


class KeyFetchFailedArgs(TypedDict):
    """The keyword arguments of :data:`key_fetch_failed`.

    Attributes:
        url: the JWKS URL (``JWT_JWKS_URL``).
        reason: why, in words (a network error, a status, a document that is no
            JWKS); never a key.
        duration: seconds the attempt took.
    """

    url: str
    reason: str
    duration: float


token_verified: Final[NamedSignal] = _SIGNALS.signal(
    "token-verified",
    doc="A protected request's token passed every check (kwargs: TokenVerifiedArgs).",
)
authentication_failed: Final[NamedSignal] = _SIGNALS.signal(
    "authentication-failed",
    doc="A protected request was refused (kwargs: AuthenticationFailedArgs).",
)
token_revoked: Final[NamedSignal] = _SIGNALS.signal(
    "token-revoked", doc="AuthManager.revoke refused a token (kwargs: TokenRevokedArgs)."
)
subject_logged_out: Final[NamedSignal] = _SIGNALS.signal(
    "subject-logged-out",
    doc="AuthManager.revoke_subject logged a subject out everywhere "
    "(kwargs: SubjectLoggedOutArgs).",
)
refresh_token_reused: Final[NamedSignal] = _SIGNALS.signal(
    "refresh-token-reused",
    doc="A rotated refresh token was presented again and its session revoked "
    "(kwargs: RefreshTokenReusedArgs).",
)
keys_refreshed: Final[NamedSignal] = _SIGNALS.signal(
    "keys-refreshed",
    doc="The identity provider's JWKS was fetched (kwargs: KeysRefreshedArgs).",
)
key_fetch_failed: Final[NamedSignal] = _SIGNALS.signal(
    "key-fetch-failed",
    doc="A fetch of the identity provider's JWKS failed (kwargs: KeyFetchFailedArgs).",
)


def _receivers(signal: NamedSignal) -> Mapping[object, object]:
    # blinker types the map with Any; it is one dict per signal, changed in place by
    # connect and disconnect (never replaced), so a view of it read once stays true.
    return cast("Mapping[object, object]", signal.receivers)


# Whether each signal has a receiver: ``if TOKEN_VERIFIED_RECEIVERS:`` (one global read).
TOKEN_VERIFIED_RECEIVERS: Final = _receivers(token_verified)
AUTHENTICATION_FAILED_RECEIVERS: Final = _receivers(authentication_failed)
TOKEN_REVOKED_RECEIVERS: Final = _receivers(token_revoked)
SUBJECT_LOGGED_OUT_RECEIVERS: Final = _receivers(subject_logged_out)
REFRESH_TOKEN_REUSED_RECEIVERS: Final = _receivers(refresh_token_reused)
KEYS_REFRESHED_RECEIVERS: Final = _receivers(keys_refreshed)
KEY_FETCH_FAILED_RECEIVERS: Final = _receivers(key_fetch_failed)


def kind_of(token: Token) -> TokenKind:
    """``token``'s kind, as the signals name it."""
    return "auth" if isinstance(token, AuthToken) else "refresh"


def session_id(token: Token) -> str | None:
    """The session (family) ``token`` belongs to: its ``sid``, or a pre-session refresh
    token's ``rid``."""
    if token.sid is not None:
        return token.sid
    return token.rid if isinstance(token, RefreshToken) else None


# Typed senders: the arguments are checked against each signal's TypedDict. Callers check
# ``signal.receivers`` first, so that nothing is built while nobody listens.


def send_token_verified(app: Flask, args: TokenVerifiedArgs) -> None:
    """Send :data:`token_verified` from ``app``."""
    token_verified.send(app, **args)


def send_authentication_failed(app: Flask, args: AuthenticationFailedArgs) -> None:
    """Send :data:`authentication_failed` from ``app``."""
    authentication_failed.send(app, **args)


def send_token_revoked(app: Flask, args: TokenRevokedArgs) -> None:
    """Send :data:`token_revoked` from ``app``."""
    token_revoked.send(app, **args)


def send_subject_logged_out(app: Flask, args: SubjectLoggedOutArgs) -> None:
    """Send :data:`subject_logged_out` from ``app``."""
    subject_logged_out.send(app, **args)


def send_refresh_token_reused(app: Flask, args: RefreshTokenReusedArgs) -> None:
    """Send :data:`refresh_token_reused` from ``app``."""
    refresh_token_reused.send(app, **args)


def send_keys_refreshed(app: Flask, args: KeysRefreshedArgs) -> None:
    """Send :data:`keys_refreshed` from ``app``."""
    keys_refreshed.send(app, **args)


def send_key_fetch_failed(app: Flask, args: KeyFetchFailedArgs) -> None:
    """Send :data:`key_fetch_failed` from ``app``."""
    key_fetch_failed.send(app, **args)


_Args = TypeVar("_Args", KeysRefreshedArgs, KeyFetchFailedArgs)


class SignallingFetcher:
    """A :class:`~flask_pyjwt._core.key_source.KeyFetcher` that sends
    :data:`keys_refreshed` or :data:`key_fetch_failed` about each fetch it makes (when
    they have receivers): the JWKS cache itself is pure and knows no app.

    A document that arrives but is no usable key set is a failed fetch here, as it is for
    the cache (which parses it again: fetches are rare, and only with receivers).

    Unlike the request signals, an exception a receiver raises is logged, not raised:
    these run inside the key cache's fetch, which every request shares, and a raising
    one would turn each request into a 500 with a fetch of its own.
    """

    __slots__ = ("_algorithms", "_app", "_fetch")

    def __init__(self, app: Flask, algorithms: Sequence[AuthType], fetch: KeyFetcher) -> None:
        self._app = app
        self._algorithms = tuple(algorithms)
        self._fetch = fetch

    def __call__(self, url: str, timeout: float, /) -> tuple[bytes, str | None]:
        started = time.perf_counter()
        try:
            body, cache_control = self._fetch(url, timeout)
            watched = KEYS_REFRESHED_RECEIVERS or KEY_FETCH_FAILED_RECEIVERS
            keys = parse_key_set(body, self._algorithms)[0] if watched else None
        except FetchError as error:
            if KEY_FETCH_FAILED_RECEIVERS:
                args: KeyFetchFailedArgs = {
                    "url": url, "reason": str(error), "duration": time.perf_counter() - started,
                }  # fmt: skip
                self._send(send_key_fetch_failed, args, "key_fetch_failed")
            raise
        if keys is not None and KEYS_REFRESHED_RECEIVERS:
            refreshed: KeysRefreshedArgs = {
                "url": url,
                "key_ids": tuple(sorted(keys.key_ids)),
                "duration": time.perf_counter() - started,
            }
            self._send(send_keys_refreshed, refreshed, "keys_refreshed")
        return body, cache_control

    def _send(self, send: Callable[[Flask, _Args], None], args: _Args, name: str) -> None:
        try:
            send(self._app, args)
        except Exception:
            logger.exception("a %s receiver raised; the key fetch goes on", name)
