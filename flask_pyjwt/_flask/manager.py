"""The Flask extension object: per-app configuration, issuing and verifying tokens."""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Literal, TypeVar, overload

from flask import Flask
from werkzeug.wrappers import Response

from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.errors import (
    AlreadyInitializedError,
    InvalidTokenError,
    RefreshTokenReusedError,
)
from flask_pyjwt._core.issuing import RESERVED_CLAIMS, check_subject, issue_options, merge_claims
from flask_pyjwt._core.jwks import JWKSet
from flask_pyjwt._core.key_signers import public_key_set
from flask_pyjwt._core.revocation import RevocationStore
from flask_pyjwt._core.sessions import session_for, session_of
from flask_pyjwt._core.signing import Signer, Verifier
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import (
    AuthToken,
    RefreshToken,
    SessionId,
    Token,
    TokenType,
    TokenTypeName,
    parse_token_type,
)

from .cli import jwt_cli
from .context import get_app
from .cookies import set_token_cookies, unset_token_cookies
from .setup import SetupOptions, build_state
from .signals import (
    REFRESH_TOKEN_REUSED_RECEIVERS,
    SUBJECT_LOGGED_OUT_RECEIVERS,
    TOKEN_REVOKED_RECEIVERS,
    kind_of,
    send_refresh_token_reused,
    send_subject_logged_out,
    send_token_revoked,
    session_id,
)
from .state import (
    EXTENSION_NAME,
    LEGACY_EXTENSION_NAME,
    AppState,
    UserLoaderSlot,
    extensions,
    manager_state,
)
from .users import UserLoader

U = TypeVar("U")


class AuthManager:
    """Issues and verifies JSON Web Tokens for one or more Flask apps.

    ``AuthManager(app)`` or, with the application factory pattern, ``AuthManager()``
    then :meth:`init_app`. One manager may serve several apps, each with its own
    configuration; methods act on the current app (``flask.current_app``).

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
    ) -> None:
        self._options = SetupOptions(
            signer=signer,
            verifier=verifier,
            revocation_store=revocation_store,
            clock=clock,
            dotenv_path=dotenv_path,
        )
        # Weak: the manager never keeps an app alive (Flask's extension convention is
        # not to store the app); this only answers "which apps do I serve?".
        self._apps: weakref.WeakSet[Flask] = weakref.WeakSet()
        self._users = UserLoaderSlot()  # shared with each app's state
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
        return public_key_set(self._codec().verifier)

    def auth_token(
        self,
        subject: str,
        scope: JSONInput = None,
        *,
        max_age: int | timedelta | None = None,
        audience: str | Sequence[str] | None = None,
        headers: Mapping[str, JSONInput] | None = None,
        session: RefreshToken | SessionId | None = None,
        claims: Mapping[str, JSONInput] | None = None,
        fresh: bool | int | timedelta = False,
        **custom_claims: JSONInput,
    ) -> AuthToken:
        """Issue a signed auth token.

        Args:
            subject: the ``sub`` claim, usually the user's id (the parameter keeps
                Flask_PyJWT 1.x's name).
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
        sid = session_for(subject, session)
        options = issue_options(
            max_age=max_age, audience=audience, headers=headers, session=sid, fresh=fresh
        )
        merged = merge_claims(claims, custom_claims)
        return self._codec().issue_auth(subject, scope, merged, options)

    def refresh_token(
        self,
        subject: str,
        *,
        max_age: int | timedelta | None = None,
        audience: str | Sequence[str] | None = None,
        headers: Mapping[str, JSONInput] | None = None,
        claims: Mapping[str, JSONInput] | None = None,
        **custom_claims: JSONInput,
    ) -> RefreshToken:
        """Issue a signed refresh token (with a random ``rid``) for ``subject``.

        The options are those of :meth:`auth_token`; ``max_age`` replaces
        ``JWT_REFRESHMAXAGE``.

        Raises:
            MissingSignerError: the app is verify-only.
            ValueError: a claim the library sets itself or one given twice, an empty
                ``subject``, a bad option value, or a token longer than
                ``JWT_MAX_TOKEN_LENGTH``.
            TypeError: ``subject`` is not a string, an option has the wrong type, or a
                value is not JSON.
        """
        options = issue_options(max_age=max_age, audience=audience, headers=headers)
        merged = merge_claims(claims, custom_claims)
        return self._codec().issue_refresh(subject, merged, options)

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

    def user_loader(self, loader: Callable[[Token], U | None]) -> UserLoader[U]:
        """Register the function that turns a verified token into the app's user.

        Use it as a decorator; it returns a :class:`~flask_pyjwt.typing.UserLoader` whose
        ``current`` is the user of the current request, typed as the class the loader returns:

        .. code-block:: python
            :caption: From docs/examples/users.py

            @auth_manager.user_loader
            def load_user(token: Token) -> User | None:
                return USERS.get(token.sub)  # your database lookup; None answers 401 user_not_found


            current_user = load_user.current  # typed User: no cast, no Any

        Every request a protected view or :func:`~flask_pyjwt.verify_request` accepts
        runs it once, after the token passed every check and before the view; ``None``
        answers 401 ``user_not_found``.

        Raises:
            ValueError: this manager already has a user loader.
        """
        if self._users.loader is not None:
            raise ValueError(
                "this AuthManager already has a user loader; register one function that "
                "loads the user of any token"
            )
        registered = UserLoader(loader)
        self._users.loader = registered
        return registered

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
    def convert_token(self, token: str) -> Token: ...
    @overload
    def convert_token(
        self, token: str, token_type: Literal["auth", TokenType.AUTH]
    ) -> AuthToken: ...
    @overload
    def convert_token(
        self, token: str, token_type: Literal["refresh", TokenType.REFRESH]
    ) -> RefreshToken: ...
    def convert_token(
        self, token: str, token_type: TokenTypeName | TokenType | None = None
    ) -> Token:
        """Verify ``token`` and return it as an :class:`AuthToken` or :class:`RefreshToken`.

        Unlike Flask_PyJWT 1.x, this verifies the token first: an unverified token is
        never turned into a value you could mistake for a trusted one.

        Args:
            token: the compact JWT.
            token_type: require this kind (and get the narrower type back).

        Raises:
            InvalidTokenError: a subclass saying why the token is refused
                (:class:`~flask_pyjwt.errors.TokenRevokedError` for a revoked one).
            RevocationUnavailableError: the revocation store did not answer (unless
                ``JWT_REVOCATION_FAIL_OPEN``).
            KeysUnavailableError: (with ``JWT_JWKS_URL``) the identity provider's keys
                could not be fetched.
        """
        expected = None if token_type is None else parse_token_type(token_type)
        state = self._state()
        verified = state.codec.decode(token, expected)
        state.sessions.check(verified)
        return verified

    # Sessions: revocation, logout everywhere, refresh rotation ---------------------------

    def revoke(self, token: str | AuthToken | RefreshToken, *, end_session: bool = False) -> None:
        """Refuse ``token`` from now on, in every process sharing the revocation store.

        A refresh token ends its whole session: every refresh token rotated from the same
        login, and the auth tokens issued for it. An auth token ends its session too
        with ``end_session=True`` (a logout that only has the auth token, as in a
        browser whose refresh cookie is kept to the refresh path). The token is verified
        first. An expired token ends its session all the same (a successor rotated from
        it may still be alive); on its own, an expired token needs no revocation.
        In a view (a logout view), an error it raises answers as a protected view would:
        the JSON 401 or 503 (:doc:`/errors`).

        Raises:
            InvalidTokenError: a subclass saying why the token is not valid (forged,
                malformed, badly signed, ...; expired is not a refusal).
            RevocationUnavailableError: the revocation store did not answer.
            KeysUnavailableError: (with ``JWT_JWKS_URL``) the identity provider's keys
                could not be fetched.
            LegacyTokenRevocationError: a Flask_PyJWT 1.x auth token, which has no
                ``jti`` (a :class:`ValueError`; :meth:`revoke_subject` covers it).
        """
        state = self._state()
        raw = token.signed if isinstance(token, (AuthToken, RefreshToken)) else token
        verified = state.codec.decode_expired_ok(raw)
        state.sessions.revoke(verified, end_session=end_session)
        if TOKEN_REVOKED_RECEIVERS:
            session = session_id(verified)
            send_token_revoked(
                self._app(),
                {
                    "sub": verified.sub,
                    "token_type": kind_of(verified),
                    "jti": verified.jti or None,
                    "session": session,
                    "session_ended": session is not None
                    and (end_session or isinstance(verified, RefreshToken)),
                },
            )

    def revoke_subject(self, sub: str) -> None:
        """Refuse every token of ``sub`` issued until now: log out everywhere (after a
        password change, say), without listing the tokens.

        ``iat`` has one-second resolution, so tokens issued during the same second as
        this call are refused too: issue the user's new tokens after it returns, and a
        client that logs in again within that second gets a 401 once.

        Raises:
            RevocationUnavailableError: the revocation store did not answer (a 503 in a
                view).
            TypeError: ``sub`` is not a string.
            ValueError: ``sub`` is empty.
        """
        check_subject(sub)  # callers without a type checker may pass anything
        self._state().sessions.revoke_subject(sub)
        if SUBJECT_LOGGED_OUT_RECEIVERS:
            send_subject_logged_out(self._app(), {"sub": sub})

    def rotate(
        self,
        refresh_token: str | RefreshToken,
        scope: JSONInput = None,
        *,
        claims: Mapping[str, JSONInput] | None = None,
    ) -> tuple[AuthToken, RefreshToken]:
        """Exchange a refresh token for a new auth token and a new refresh token.

        The presented refresh token is retired: presenting it again (to :meth:`rotate`
        or to any ``require_token("refresh")`` route) is reuse, which revokes its whole
        session, the new pair included, and raises
        :class:`~flask_pyjwt.errors.RefreshTokenReusedError` (401 ``refresh_token_reused``
        in a view). Of
        two concurrent rotations of one refresh token exactly one wins. There is no
        grace window: a client that lost the answer to its rotation logs in again.

        The new refresh token keeps the session and the custom claims of the old one;
        the new auth token belongs to the session too, with ``scope`` and ``claims``.

        Args:
            refresh_token: the refresh token presented by the client.
            scope: the new auth token's scope (the user's authorizations now).
            claims: the new auth token's custom claims.

        Raises:
            InvalidTokenError: a subclass saying why: not a valid refresh token
                (:class:`~flask_pyjwt.errors.TokenTypeInvalidError` for an auth token),
                revoked (:class:`~flask_pyjwt.errors.TokenRevokedError`), or reused
                (:class:`~flask_pyjwt.errors.RefreshTokenReusedError`). In a view, the
                JSON 401 with its ``code``.
            RevocationUnavailableError: the revocation store did not answer (rotation
                never fails open: single use could not be guaranteed); in a view, the
                JSON 503.
            KeysUnavailableError: (with ``JWT_JWKS_URL``) the identity provider's keys
                could not be fetched.
            MissingSignerError: the app is verify-only.
            ValueError, TypeError: ``scope`` or ``claims`` as :meth:`auth_token`
                refuses them.

        Each of these but the store's and reuse's answers leaves the presented token
        as it was: the new pair is issued before the token is retired, so an app that
        cannot issue it (a verify-only app sharing the store, say) never burns the
        token its issuer will be asked to rotate.
        """
        state = self._state()
        raw = refresh_token.signed if isinstance(refresh_token, RefreshToken) else refresh_token
        presented = state.codec.decode(raw, TokenType.REFRESH)
        assert isinstance(presented, RefreshToken)
        # The new pair first: whatever refuses it (a verify-only app, bad claims, a
        # token too long) must do so before the presented token is retired, or that
        # token is burnt and its holder's own rotation looks like reuse.
        options = issue_options(session=session_of(presented))
        carried = {k: v for k, v in presented.claims.items() if k not in RESERVED_CLAIMS}
        new_refresh = state.codec.issue_refresh(presented.sub, carried, options)
        new_auth = state.codec.issue_auth(presented.sub, scope, claims, options)
        try:
            state.sessions.retire(presented)
        except RefreshTokenReusedError:
            if REFRESH_TOKEN_REUSED_RECEIVERS:
                send_refresh_token_reused(
                    self._app(), {"sub": presented.sub, "session": session_of(presented)}
                )
            raise
        return new_auth, new_refresh
