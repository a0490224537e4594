"""The session methods of :class:`~flask_pyjwt.AuthManager`: revocation, logout
everywhere and refresh rotation, over the app's revocation store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from flask import Flask

from flask_pyjwt._core.dpop import bound_key
from flask_pyjwt._core.errors import RefreshTokenReusedError
from flask_pyjwt._core.issuing import RESERVED_CLAIMS, check_subject, issue_options
from flask_pyjwt._core.sessions import session_of
from flask_pyjwt._core.strict_json import JSONInput
from flask_pyjwt._core.tokens import AuthToken, RefreshToken, TokenType

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
from .state import AppState


class SessionMethods:
    """Revoking tokens, subjects and sessions, and rotating refresh tokens, in the
    current app (the manager's :meth:`_state`)."""

    def _state(self) -> AppState:  # pragma: no cover - AuthManager's
        raise NotImplementedError

    def _app(self) -> Flask:  # pragma: no cover - AuthManager's
        raise NotImplementedError

    def revoke(self, token: str | AuthToken | RefreshToken, *, end_session: bool = False) -> None:
        """Refuse ``token`` from now on, in every process sharing the revocation store.

        A refresh token ends its whole session: every refresh token rotated from the same
        login, and the auth tokens issued for it. An auth token ends its session too
        with ``end_session=True`` (a logout that only has the auth token, as in a
        browser whose refresh cookie is kept to the refresh path). The token is verified
        first. An expired token ends its session all the same (a successor rotated from
        it may still be alive). In a view, an error it raises answers as a protected
        view would: the JSON 401 or 503 (:doc:`/errors`).

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
        grace window unless ``JWT_ROTATION_GRACE`` opens one: within it, the rotated token
        presented again gets a pair with the same successor ``jti`` (see
        :doc:`/revocation`); otherwise a client that lost the answer to its rotation logs
        in again.

        The new refresh token keeps the session and the custom claims of the old one;
        the new auth token belongs to the session too, with ``scope`` and ``claims``.
        Both stay bound to the old one's DPoP key, if it was bound.

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
        options = issue_options(session=session_of(presented), dpop_jkt=bound_key(presented.claims))
        carried = {k: v for k, v in presented.claims.items() if k not in RESERVED_CLAIMS}
        new_refresh = state.codec.issue_refresh(presented.sub, carried, options)
        new_auth = state.codec.issue_auth(presented.sub, scope, claims, options)
        try:
            _, successor = state.sessions.retire(presented, new_refresh.jti)
        except RefreshTokenReusedError:
            if REFRESH_TOKEN_REUSED_RECEIVERS:
                send_refresh_token_reused(
                    self._app(), {"sub": presented.sub, "session": session_of(presented)}
                )
            raise
        if successor != new_refresh.jti:
            # Within JWT_ROTATION_GRACE of an earlier rotation of the same token: the same
            # successor as that one (same session, same jti), not a new branch.
            new_refresh = state.codec.issue_refresh(
                presented.sub, carried, replace(options, jti=successor)
            )
        return new_auth, new_refresh
