"""``current_token``: the token verified for the current request, with typed attributes."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Final, Literal, cast, overload

from flask_pyjwt._core.errors import ClaimsShapeError, NoCurrentTokenError, TokenTypeInvalidError
from flask_pyjwt._core.identity import identity_of
from flask_pyjwt._core.strict_json import JSONObject, JSONValue
from flask_pyjwt._core.tokens import (
    AuthToken,
    RefreshToken,
    Token,
    TokenType,
    TokenTypeName,
    TokenTypes,
    parse_token_types,
)
from flask_pyjwt._core.typed_claims import C, load_claims

from .context import request_environ
from .http_errors import AuthenticationFailed
from .state import current_state

# The token is kept in the request's WSGI environ, which lives exactly as long as the
# request. flask.g belongs to the application context, which Flask 3.0/3.1 reuse when one
# is already pushed: a token kept there would be the next request's current_token.
_ENVIRON_KEY: Final = "flask_pyjwt.current_token"
_ENVIRON_CLAIMS_KEY: Final = "flask_pyjwt.typed_claims"


def set_current_token(token: Token, environ: MutableMapping[str, object]) -> None:
    """Record ``token`` as the one verified for the request of ``environ`` (the decorator
    does this)."""
    environ[_ENVIRON_KEY] = token


def remember_claims(token: Token, shape: type[C], value: C) -> None:
    """Keep ``value`` (``token``'s claims as ``shape``) for ``current_token.claims_as``."""
    store = request_environ()
    if store is not None:
        store[_ENVIRON_CLAIMS_KEY] = (token, shape, value)


def current_claims_as(shape: type[C]) -> C:
    """The current token's claims as ``shape``: checked once per request.

    Raises:
        NoCurrentTokenError: no verified token here.
        AuthenticationFailed: the claims do not fit ``shape`` (401 ``claim_invalid``).
    """
    token = get_current_token()
    store = request_environ()
    cached = None if store is None else store.get(_ENVIRON_CLAIMS_KEY)
    if isinstance(cached, tuple):
        entry = cast("tuple[object, object, object]", cached)
        if entry[0] is token and entry[1] is shape and isinstance(entry[2], shape):
            return entry[2]
    try:
        value = load_claims(shape, token.claims)
    except ClaimsShapeError as error:
        raise AuthenticationFailed.from_token_error(error) from None
    remember_claims(token, shape, value)
    return value


def peek_current_token() -> Token | None:
    """The token verified for this request, or ``None`` (never raises)."""
    environ = request_environ()
    token = None if environ is None else environ.get(_ENVIRON_KEY)
    return token if isinstance(token, (AuthToken, RefreshToken)) else None


def get_current_token() -> Token:
    """The token verified for this request.

    Raises:
        NoCurrentTokenError: no request, or the view is not protected by ``require_token``.
    """
    token = peek_current_token()
    if token is not None:
        return token
    raise NoCurrentTokenError(
        "current_token is only set inside a view protected by @require_token(...), "
        "after its token was verified"
    )


class CurrentToken:
    """A proxy to the token of the current request, typed attribute by attribute.

    Each attribute reads the token verified by :func:`~flask_pyjwt.require_token` for this
    request. :meth:`get` returns the token itself (an :class:`~flask_pyjwt.AuthToken` or
    :class:`~flask_pyjwt.RefreshToken`; ``get("refresh")`` typed as the one the view
    requires), and
    :meth:`get_or_none` the token or ``None`` (on an ``optional=True`` route).

    Reading anything outside a protected request raises
    :class:`~flask_pyjwt.errors.NoCurrentTokenError`.
    """

    __slots__ = ()

    @overload
    def get(self) -> Token: ...
    @overload
    def get(self, token_type: Literal["auth", TokenType.AUTH]) -> AuthToken: ...
    @overload
    def get(self, token_type: Literal["refresh", TokenType.REFRESH]) -> RefreshToken: ...
    @overload
    def get(self, token_type: tuple[TokenTypeName | TokenType, ...]) -> Token: ...
    def get(self, token_type: TokenTypes | None = None) -> Token:
        """The current token object; with ``token_type``, typed as that kind.

        A refresh view writes ``current_token.get("refresh")`` to get a
        :class:`~flask_pyjwt.RefreshToken` (its ``rid``, for :meth:`AuthManager.rotate
        <flask_pyjwt.AuthManager.rotate>`) without ``assert isinstance``; the decorator
        already refused any other kind, so this only restates it for the type checker.

        Raises:
            NoCurrentTokenError: outside a protected request.
            TokenTypeInvalidError: the token is of the other kind (a view reading
                ``get("refresh")`` under ``require_token("auth")``): escaping the view,
                the 401 ``token_type_invalid``.
            ValueError: ``token_type`` is neither ``"auth"`` nor ``"refresh"``.
        """
        token = get_current_token()
        if token_type is None:
            return token
        expected = parse_token_types(token_type)  # None: either kind (a tuple of both)
        if expected is not None and token.token_type is not expected:
            raise TokenTypeInvalidError(
                f"This view reads a {expected.value} token, but the request's token is "
                f"a {token.token_type.value} token."
            )
        return token

    def get_or_none(self) -> Token | None:
        """The current token object, or ``None`` where no token was verified: on an
        ``optional=True`` route that got no token, or outside a protected request."""
        return peek_current_token()

    @property
    def token_type(self) -> TokenType:
        """``TokenType.AUTH`` or ``TokenType.REFRESH`` (JSON-serialisable as a string)."""
        return get_current_token().token_type

    @property
    def sub(self) -> str:
        """The subject."""
        return get_current_token().sub

    @property
    def identity(self) -> str:
        """The value of the ``JWT_IDENTITY_CLAIM`` claim (``sub`` by default), which
        names the user; Flask-JWT-Extended's ``get_jwt_identity()``."""
        token = get_current_token()
        return identity_of(token, current_state().codec.identity_claim(token))

    @property
    def iss(self) -> str:
        """The issuer."""
        return get_current_token().iss

    @property
    def provider(self) -> str:
        """The name of the source that issued the token.

        ``"self"`` for the app's own, an :class:`~flask_pyjwt.IdentityProvider`'s
        ``name``, or ``"default"`` for ``JWT_JWKS_URL``."""
        return get_current_token().provider

    @property
    def iat(self) -> int:
        """Issued-at, seconds since the epoch."""
        return get_current_token().iat

    @property
    def exp(self) -> int:
        """Expiry, seconds since the epoch."""
        return get_current_token().exp

    @property
    def jti(self) -> str:
        """The token's unique id."""
        return get_current_token().jti

    @property
    def aud(self) -> str | tuple[str, ...] | None:
        """The audience, if any."""
        return get_current_token().aud

    @property
    def max_age(self) -> int:
        """``exp - iat`` in seconds."""
        return get_current_token().max_age

    @property
    def scope(self) -> JSONValue:
        """An auth token's ``scope`` claim; ``None`` for a refresh token or no scope."""
        token = get_current_token()
        return token.scope if isinstance(token, AuthToken) else None

    @property
    def rid(self) -> str | None:
        """A refresh token's ``rid``; ``None`` for an auth token."""
        token = get_current_token()
        return token.rid if isinstance(token, RefreshToken) else None

    @property
    def fresh_until(self) -> int | None:
        """Until when an auth token is fresh (seconds since the epoch); ``None`` for a
        token that is not fresh, and for a refresh token."""
        token = get_current_token()
        return token.fresh_until if isinstance(token, AuthToken) else None

    def is_fresh(self) -> bool:
        """Whether the token is a fresh auth token now, as ``require_token(fresh=True)``
        decides it (the app's clock, with ``JWT_LEEWAY``)."""
        token = get_current_token()
        return isinstance(token, AuthToken) and current_state().codec.is_fresh(token)

    @property
    def claims(self) -> JSONObject:
        """Every claim, read-only and JSON-serialisable."""
        return get_current_token().claims

    @property
    def header(self) -> JSONObject:
        """The protected header, read-only."""
        return get_current_token().header

    @property
    def alg(self) -> str:
        """The algorithm the token was signed with."""
        return get_current_token().alg

    @property
    def signed(self) -> str:
        """The compact JWT as received; a bearer credential, so do not log it."""
        return get_current_token().signed

    def claims_as(self, shape: type[C]) -> C:
        """The token's claims as an instance of ``shape``, a frozen dataclass that
        declares them (see the typing guide's "Typed custom claims").

        Checked once per request (already by ``require_token(claims_as=shape)``, if the
        view uses it); claims that do not fit answer 401 ``claim_invalid``, never a 500.

        Raises:
            NoCurrentTokenError: outside a protected request.
            AuthenticationFailed: the claims do not fit ``shape``.
            TypeError: ``shape`` is not a frozen dataclass of JSON claim types.
        """
        return current_claims_as(shape)

    def is_signed(self) -> bool:
        """Always true for a verified token (Flask_PyJWT 1.x compatibility)."""
        return get_current_token().is_signed()

    def __bool__(self) -> bool:
        """Whether a verified token is available here (never raises)."""
        return peek_current_token() is not None

    def __repr__(self) -> str:
        token = peek_current_token()
        if token is None:
            return "<current_token (none: not in a protected request)>"
        return f"<current_token {token!r}>"


current_token: Final = CurrentToken()
"""The token of the current request. See :class:`CurrentToken`."""
