"""The Flask extension object: per-app configuration, issuing and verifying tokens."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Literal, overload

from flask import Flask
from typing_extensions import Never, TypeVar
from werkzeug.wrappers import Response

from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.errors import (
    AlreadyInitializedError,
    InvalidTokenError,
)
from flask_pyjwt._core.identity_provider import IdentityProvider
from flask_pyjwt._core.issuing import issue_options, merge_claims
from flask_pyjwt._core.jwks import JWKSet
from flask_pyjwt._core.key_signers import public_key_set
from flask_pyjwt._core.revocation import RevocationStore
from flask_pyjwt._core.sessions import session_for
from flask_pyjwt._core.signing import Signer, Verifier
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import (
    AuthToken,
    RefreshToken,
    SessionId,
    Token,
    TokenType,
    TokenTypeName,
    parse_token_types,
)

from .cli import jwt_cli
from .context import get_app
from .cookies import set_token_cookies, unset_token_cookies
from .sessions import SessionMethods
from .setup import SetupOptions, build_state
from .state import (
    EXTENSION_NAME,
    LEGACY_EXTENSION_NAME,
    AppState,
    UserLoaderSlot,
    extensions,
    manager_state,
)
from .users import IdentityHooks, UserHooks

U = TypeVar("U", default=Never)


class AuthManager(UserHooks[U], SessionMethods):
    """Issues and verifies JSON Web Tokens for one or more Flask apps.

    ``AuthManager(app)`` or, with the application factory pattern, ``AuthManager()``
    then :meth:`init_app`. One manager may serve several apps, each with its own
    configuration; methods act on the current app (``flask.current_app``). The type
    parameter is the app's user class (``AuthManager[User]``): tokens are then issued
    for ``User`` objects too (:meth:`identity_loader`); without it, for strings only.

    Args:
        app: the app to initialise now, if any.
        dotenv_path: a ``.env`` file to read ``JWT_*`` values from (after ``app.config``
            and the environment). Read at :meth:`init_app`, never written to ``os.environ``.
        signer: a custom :class:`~flask_pyjwt.Signer` (a KMS key, ...) used instead of
            ``JWT_SECRET``.
        verifier: a custom :class:`~flask_pyjwt.Verifier` (a key set, JWKS, ...) used
            instead of the configured key.
        revocation_store: where revocations live, shared by every process of the app
            (:class:`~flask_pyjwt.redis.RedisRevocationStore`); by default a
            :class:`~flask_pyjwt.MemoryRevocationStore` per app, or Redis when
            ``JWT_REVOCATION_REDIS_URL`` is set.
        clock: the time source, in seconds since the epoch (for tests).
        providers: identity providers whose tokens the app accepts, each with its own
            issuer, keys and rules (:doc:`/identity_providers`); with keys of its own
            (``JWT_SECRET``, ``JWT_PUBLICKEY``) the app's tokens too, as ``"self"``. Without, no
            ``JWT_ISSUER``, ``JWT_AUTHTYPE`` or ``JWT_SECRET`` is needed.
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        dotenv_path: str | os.PathLike[str] | None = None,
        signer: Signer | None = None,
        verifier: Verifier | None = None,
        revocation_store: RevocationStore | None = None,
        clock: Callable[[], float] | None = None,
        providers: Sequence[IdentityProvider] = (),
    ) -> None:
        self._options = SetupOptions(
            signer=signer,
            verifier=verifier,
            revocation_store=revocation_store,
            clock=clock,
            dotenv_path=dotenv_path,
            providers=providers,
        )
        # Weak: the manager never keeps an app alive (Flask's extension convention is
        # not to store the app); this only answers "which apps do I serve?".
        self._apps: weakref.WeakSet[Flask] = weakref.WeakSet()
        self._users = UserLoaderSlot()  # shared with each app's state
        self._identity_hooks: IdentityHooks[U] = IdentityHooks()
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Read and check ``app``'s configuration, prepare its keys, and register.

        Also adds the ``flask jwt`` command group (issue, inspect, keygen) to ``app.cli``,
        and, with ``JWT_JWKS_ROUTE``, the route that serves :meth:`jwks`. No network
        request is made: with ``JWT_JWKS_URL``, the identity provider's keys are fetched
        when the first token needs them.

        Also checks, now and before the first request is answered, that no view of
        ``app`` was registered by a route written below ``@require_token(...)``; and
        registers error handlers so that an :class:`~flask_pyjwt.errors.InvalidTokenError` or
        :class:`~flask_pyjwt.errors.UnavailableError` escaping any view (from
        :meth:`convert_token`, :meth:`revoke` or :meth:`rotate` in a view of your own) is
        the JSON 401 / 503 a protected view gives, not a 500.

        Warns:
            IgnoredConfigWarning: a ``JWT_*`` key in ``app.config`` that flask_pyjwt does
                not read (with the key it probably means), or ``JWT_PUBLICKEY`` with an
                ``HS*`` algorithm.
            WeakSecretWarning: an HMAC secret shorter than RFC 7518 requires.

        Raises:
            MissingConfigError: a required ``JWT_*`` key is not set.
            InvalidConfigError: a ``JWT_*`` value is malformed, or the keys do not fit.
            AlreadyInitializedError: ``app`` already has an AuthManager.
            DecoratorOrderError: a view of ``app`` would be served unprotected because
                ``@require_token(...)`` sits above its route decorator.
        """
        if EXTENSION_NAME in extensions(app):
            raise AlreadyInitializedError(
                f"the Flask app {app.name!r} already has an AuthManager; call init_app once per app"
            )
        state = build_state(app, self, self._users, self._options)
        extensions(app)[EXTENSION_NAME] = state
        extensions(app)[LEGACY_EXTENSION_NAME] = self
        self._apps.add(app)
        app.cli.add_command(jwt_cli)

    def _state(self) -> AppState:
        return manager_state(self, self._apps)

    def _app(self) -> Flask:
        """The app :meth:`_state` found (call it first): the current one, or outside an
        application context the one app this manager serves."""
        try:
            return get_app()
        except RuntimeError:
            return next(iter(self._apps))

    def _codec(self) -> TokenCodec:
        return self._state().codec

    def jwks(self) -> JWKSet:
        """The current app's public verification keys, as a JWK Set (RFC 7517 5).

        Every key the app verifies its own tokens with: the public half of
        ``JWT_SECRET``, or the keys of ``JWT_PUBLICKEY`` (all of a JWK Set, so the old
        key of a rotation too), each with its ``kid``, ``use`` ``"sig"`` and ``alg``.
        Never a private member or an HMAC secret: an ``HS*`` app, an app behind an
        identity provider (``JWT_JWKS_URL``) and a custom verifier other than
        :class:`~flask_pyjwt.KeyVerifier` / :class:`~flask_pyjwt.KeySetVerifier` give
        ``{"keys": []}``. A new document on every call: changing it changes nothing.

        ``JWT_JWKS_ROUTE`` serves it over HTTP.
        """
        verifier = self._codec().verifier
        return {"keys": []} if verifier is None else public_key_set(verifier)

    def auth_token(
        self,
        subject: str | U,
        scope: JSONInput = None,
        *,
        max_age: int | timedelta | None = None,
        audience: str | Sequence[str] | None = None,
        headers: Mapping[str, JSONInput] | None = None,
        session: RefreshToken | SessionId | None = None,
        claims: Mapping[str, JSONInput] | None = None,
        fresh: bool | int | timedelta = False,
        dpop_jkt: str | None = None,
        **custom_claims: JSONInput,
    ) -> AuthToken:
        """Issue a signed auth token.

        Args:
            subject: the ``sub`` claim, usually the user's id (the parameter keeps
                Flask_PyJWT 1.x's name); or, with an :meth:`identity_loader`, the user
                object itself (then the :meth:`claims_loader`'s claims are added, those
                given here taking precedence).
            scope: the authorizations (``{"admin": True}``, ``"read write"``, ...),
                checked by ``require_token(scope=...)``.
            max_age: how long this token is valid, in seconds or as a
                :class:`~datetime.timedelta`, instead of ``JWT_AUTHMAXAGE``.
            audience: the ``aud`` of this token (a string or a sequence of them),
                instead of ``JWT_AUDIENCE``. This app accepts only tokens whose ``aud``
                holds its own ``JWT_AUDIENCE``, so a token meant for another service is
                refused here.
            headers: extra protected header fields (not ``alg``, ``typ``, ``kid`` or
                ``crit``, which the library sets).
            session: the refresh token (of the same ``subject``) whose session this
                auth token belongs to, or the session's id (a token's ``sid``, or
                ``SessionId(stored)``): revoking that session
                (``revoke(refresh_token)``, reuse) revokes this token too. Issue the
                two at login as ``auth_token(sub, scope, session=refresh)``. Never the
                compact token (``refresh.signed``), which would hand the refresh token
                to whoever sees this one: a type error, and a :class:`TypeError`.
            claims: custom claims, as a mapping: for a claim whose name is one of these
                keyword options (``claims={"audience": ...}``).
            fresh: whether the user just proved who they are (a login with a password,
                not a refresh), as ``require_token(fresh=True)`` requires: ``True`` for a
                token fresh as long as it is valid, a number of seconds (or a
                :class:`~datetime.timedelta`) for one fresh that long after it is issued,
                never beyond its expiry. Written as the ``fresh`` claim (the time it is
                fresh until). Default: not fresh.
            dpop_jkt: bind the token to the client's DPoP key (RFC 9449 6): the
                thumbprint ``flask_pyjwt.dpop_proof().jkt`` of the login request. The
                token then carries ``cnf: {"jkt": ...}`` and is accepted only with a
                DPoP proof signed by that key.
            **custom_claims: further claims; any JSON value.

        Raises:
            MissingSignerError: the app is verify-only.
            ValueError: a claim the library sets itself (``iss``, ``exp``, ``type``,
                ``fresh``, ...) or one given twice, an empty ``subject``, a bad option
                value, a ``session`` refresh token of another subject, or a token
                longer than ``JWT_MAX_TOKEN_LENGTH``.
            TypeError: ``subject`` is not a string, an option has the wrong type (a
                compact token as ``session``), or a value is not JSON.
        """
        sub, loaded = self._subject(subject)
        sid = session_for(sub, session)
        options = issue_options(
            max_age=max_age, audience=audience, headers=headers, session=sid, fresh=fresh,
            dpop_jkt=dpop_jkt,
        )  # fmt: skip
        merged = merge_claims(claims, custom_claims)
        if loaded:
            merged = {**loaded, **merged}
        return self._codec().issue_auth(sub, scope, merged, options)

    def refresh_token(
        self,
        subject: str | U,
        *,
        max_age: int | timedelta | None = None,
        audience: str | Sequence[str] | None = None,
        headers: Mapping[str, JSONInput] | None = None,
        claims: Mapping[str, JSONInput] | None = None,
        dpop_jkt: str | None = None,
        **custom_claims: JSONInput,
    ) -> RefreshToken:
        """Issue a signed refresh token (with a random ``rid``) for ``subject``.

        The options are those of :meth:`auth_token`; ``max_age`` replaces
        ``JWT_REFRESHMAXAGE``; ``dpop_jkt`` binds it as :meth:`auth_token` does, and
        :meth:`rotate` keeps the binding. A user object (with an :meth:`identity_loader`)
        gives the ``sub``; the :meth:`claims_loader` is not called.

        Raises:
            MissingSignerError: the app is verify-only.
            ValueError: a claim the library sets itself or one given twice, an empty
                ``subject``, a bad option value, or a token longer than
                ``JWT_MAX_TOKEN_LENGTH``.
            TypeError: ``subject`` is not a string, an option has the wrong type, or a
                value is not JSON.
        """
        options = issue_options(
            max_age=max_age, audience=audience, headers=headers, dpop_jkt=dpop_jkt
        )
        merged = merge_claims(claims, custom_claims)
        return self._codec().issue_refresh(self._subject(subject)[0], merged, options)

    def set_token_cookies(
        self,
        response: Response,
        *,
        auth: AuthToken | None = None,
        refresh: RefreshToken | None = None,
    ) -> None:
        """Put ``auth`` and/or ``refresh`` in cookies on ``response`` (log a browser in).

        Each token goes in its ``HttpOnly`` cookie (``JWT_AUTH_COOKIE`` /
        ``JWT_REFRESH_COOKIE``), ``Secure`` (``JWT_COOKIE_SECURE``) and ``SameSite``
        (``JWT_COOKIE_SAMESITE``), on the configured domain and path, with ``Max-Age``
        the token's remaining lifetime; and its CSRF value in a readable cookie
        (``JWT_AUTH_CSRF_COOKIE`` / ``JWT_REFRESH_CSRF_COOKIE``) on ``Path=/``, which the
        app's pages send back in the ``JWT_CSRF_HEADER`` header (see the browser apps
        guide).

        Raises:
            TypeError: ``auth`` is not an :class:`AuthToken` or ``refresh`` not a
                :class:`RefreshToken`.
            ValueError: neither is given, a token has expired, or a token is too long
                for a cookie (over 4093 bytes with its attributes).
        """
        codec = self._codec()
        set_token_cookies(
            response, codec.settings.transport, codec.now(), auth=auth, refresh=refresh
        )

    def unset_token_cookies(self, response: Response) -> None:
        """Expire every cookie :meth:`set_token_cookies` writes (log a browser out).

        Each deletion names the cookie's own ``Path`` and ``Domain``, without which a
        browser keeps it. This ends the browser's copy of the tokens; a copy taken
        elsewhere stays valid until it expires.
        """
        unset_token_cookies(response, self._codec().settings.transport)

    def verify_token(self, token: str | AuthToken | RefreshToken) -> bool:
        """Whether ``token`` is valid now: signature, issuer, kind, times, and not revoked.

        Never raises for a bad token, whatever its type; scope and custom claims are not
        checked (that is :func:`~flask_pyjwt.require_token`'s job).

        Raises:
            RevocationUnavailableError: the revocation store did not answer (unless
                ``JWT_REVOCATION_FAIL_OPEN``).
            KeysUnavailableError: (with ``JWT_JWKS_URL``) the identity provider's keys
                could not be fetched, so the token is neither valid nor invalid; an
                outage is not reported as ``False``.
        """
        state = self._state()
        raw = token.signed if isinstance(token, (AuthToken, RefreshToken)) else token
        try:
            state.sessions.check(state.codec.decode(raw))
        except InvalidTokenError:
            return False
        return True

    @overload
    def convert_token(self, token: str, *, allow_expired: bool = False) -> Token: ...
    @overload
    def convert_token(
        self,
        token: str,
        token_type: Literal["auth", TokenType.AUTH],
        *,
        allow_expired: bool = False,
    ) -> AuthToken: ...
    @overload
    def convert_token(
        self,
        token: str,
        token_type: Literal["refresh", TokenType.REFRESH],
        *,
        allow_expired: bool = False,
    ) -> RefreshToken: ...
    @overload
    def convert_token(
        self,
        token: str,
        token_type: tuple[TokenTypeName | TokenType, ...],
        *,
        allow_expired: bool = False,
    ) -> Token: ...
    def convert_token(
        self,
        token: str,
        token_type: TokenTypeName | TokenType | tuple[TokenTypeName | TokenType, ...] | None = None,
        *,
        allow_expired: bool = False,
    ) -> Token:
        """Verify ``token`` and return it as an :class:`AuthToken` or :class:`RefreshToken`.

        Unlike Flask_PyJWT 1.x, this verifies the token first: an unverified token is
        never turned into a value you could mistake for a trusted one.

        Args:
            token: the compact JWT.
            token_type: require this kind (and get the narrower type back), or either
                of a tuple of kinds (``("auth", "refresh")``).
            allow_expired: accept a token whose ``exp`` has passed, for a logout or a
                "refresh after expiry" flow: every other check still applies, the
                signature first, and revocation (of its session and subject; that of
                the token alone is kept only until it expires). ``token.is_expired()``
                then says whether it has expired.

        Raises:
            InvalidTokenError: a subclass saying why the token is refused
                (:class:`~flask_pyjwt.errors.TokenRevokedError` for a revoked one).
            RevocationUnavailableError: the revocation store did not answer (unless
                ``JWT_REVOCATION_FAIL_OPEN``).
            KeysUnavailableError: (with ``JWT_JWKS_URL``) the identity provider's keys
                could not be fetched.
            ValueError: an unknown ``token_type``.
        """
        expected = None if token_type is None else parse_token_types(token_type)
        state = self._state()
        if allow_expired:
            verified = state.codec.decode_expired_ok(token, expected)
        else:
            verified = state.codec.decode(token, expected)
        state.sessions.check(verified)
        return verified
