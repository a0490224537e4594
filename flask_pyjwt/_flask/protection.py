"""The flow of one protected request: extract → verify → authorize → expose.

:func:`protect` runs it for a view's
:class:`~flask_pyjwt._core.requirements.Requirements` (everything the view requires,
resolved once by ``require_token``): it reads the token from the first location that
carries one (and, for a cookie on an unsafe method, checks its CSRF header), has the
app's codec verify it (structure, signature, registered claims, then freshness if the
view requires it) and the revocation store confirm it was not revoked since, checks
what the view requires of it (kind, then
:func:`~flask_pyjwt._core.requirements.authorize`: override, scope, claims, route
variables), records it as the request's ``current_token`` and loads its user.
Every refusal is an :class:`~flask_pyjwt.errors.HTTPAuthError`. The outcome is sent as
the ``token_verified`` or ``authentication_failed`` signal only while one has a receiver
(checked first: nothing is built or timed otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from time import perf_counter
from typing import Final

from flask_pyjwt._core.errors import (
    InvalidTokenError,
    RefreshTokenReusedError,
    UnavailableError,
)
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.requirements import Requirements, authorize
from flask_pyjwt._core.sessions import session_of
from flask_pyjwt._core.tokens import AUTH, AuthToken, RefreshToken, Token
from flask_pyjwt._core.transport import TransportSettings
from flask_pyjwt._core.typed_claims import load_claims

from .context import get_app, get_request
from .current import remember_claims, set_current_token
from .http_errors import (
    AuthenticationFailed,
    HTTPAuthError,
    PermissionDenied,
    TemporarilyUnavailable,
)
from .signals import (
    AUTHENTICATION_FAILED_RECEIVERS,
    REFRESH_TOKEN_REUSED_RECEIVERS,
    TOKEN_VERIFIED_RECEIVERS,
    kind_of,
    send_authentication_failed,
    send_refresh_token_reused,
    send_token_verified,
)
from .state import current_state
from .transport import Names, bearer_token, check_csrf, find_token


def _names(requirements: Requirements, transport: TransportSettings) -> Names:
    if requirements.kind is AUTH:
        cookie, json_key = transport.auth_cookie, transport.auth_json_key
    else:
        cookie, json_key = transport.refresh_cookie, transport.refresh_json_key
    if requirements.cookie_name is not None:
        cookie = requirements.cookie_name
    return Names(cookie=cookie, query=transport.query_param, json_key=json_key)


def protect(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    """Run one request's checks for ``requirements``; return only if the view may run.

    Returns:
        The verified token, or ``None`` on an ``optional`` route that got no token.

    Raises:
        AuthenticationFailed: 401, no usable token (or its user is unknown).
        PermissionDenied: 403, a valid token that lacks what the view requires, or a
            token cookie without its CSRF header.
        TemporarilyUnavailable: 503, a service the check needs did not answer.
    """
    if TOKEN_VERIFIED_RECEIVERS or AUTHENTICATION_FAILED_RECEIVERS:
        return _protect_and_tell(requirements, view_args)
    return _protect(requirements, view_args)


def _protect_and_tell(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    """:func:`protect`, timed, its outcome sent to the request signals' receivers."""
    started = perf_counter()
    try:
        token = _protect(requirements, view_args)
    except HTTPAuthError as error:
        if AUTHENTICATION_FAILED_RECEIVERS:
            send_authentication_failed(
                get_app(),
                {
                    "code": error.error_code,
                    "status": error.code or 500,
                    "source": _source(requirements),
                    "duration": perf_counter() - started,
                },
            )
        raise
    if token is not None and TOKEN_VERIFIED_RECEIVERS:
        send_token_verified(
            get_app(),
            {
                "sub": token.sub,
                "token_type": kind_of(token),
                "jti": token.jti or None,
                "source": _source(requirements) or "header",
                "duration": perf_counter() - started,
            },
        )
    return token


def _source(requirements: Requirements) -> Location | None:
    """The location the current request carries the token in, ``None`` if none or if
    what it carries is no token (read again: only for the signals)."""
    transport = current_state().codec.settings.transport
    locations = requirements.locations or transport.locations
    try:
        carried = find_token(locations, _names(requirements, transport), optional=True)
    except HTTPAuthError:
        return None
    return None if carried is None else carried.location


def _protect(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    state = current_state()
    codec = state.codec
    transport = codec.settings.transport
    # Werkzeug types the environ as dict[str, Any]; read its values as object.
    environ: MutableMapping[str, object] = get_request().environ
    # extract
    locations = requirements.locations or transport.locations
    raw = bearer_token(environ) if locations == _HEADER_ONLY else None
    if raw is None:  # another location, or a header the fast path leaves to find_token
        carried = find_token(
            locations, _names(requirements, transport), optional=requirements.optional
        )
        if carried is None:
            return None
        csrf_cookie = (
            transport.auth_csrf_cookie
            if requirements.kind is AUTH
            else transport.refresh_csrf_cookie
        )
        check_csrf(carried, transport, csrf_cookie)
        raw = carried.token
    # verify: the token itself, then whether it was revoked since (one store read)
    try:
        token = codec.decode(raw, requirements.kind)
        if requirements.check_revocation:
            try:
                state.sessions.check(token)
            except RefreshTokenReusedError:
                if REFRESH_TOKEN_REUSED_RECEIVERS:
                    assert isinstance(token, RefreshToken)
                    send_refresh_token_reused(
                        get_app(), {"sub": token.sub, "session": session_of(token)}
                    )
                raise
        # A declared claims shape is part of what makes the token valid here: 401.
        typed = (
            None
            if requirements.claims_as is None
            else load_claims(requirements.claims_as, token.claims)
        )
    except InvalidTokenError as error:
        raise AuthenticationFailed.from_token_error(error) from None
    except UnavailableError as error:
        raise TemporarilyUnavailable.from_unavailable(error) from None
    if requirements.fresh and not (isinstance(token, AuthToken) and codec.is_fresh(token)):
        raise AuthenticationFailed(
            error_code="fresh_token_required",
            message="This requires a fresh token: authenticate again (a refreshed token "
            "is not fresh).",
        )
    # authorize
    if requirements.requires_claims:
        refusal = authorize(requirements, token, view_args)
        if refusal is not None:
            raise PermissionDenied(error_code=refusal.code, message=refusal.message)
    # expose: the user first, so that a request refused for its user (401
    # user_not_found, or the loader's own error) has no current token either
    loader = state.users.loader
    if loader is not None:
        loader.load_for(token)
    set_current_token(token, environ)
    if requirements.claims_as is not None and typed is not None:
        remember_claims(token, requirements.claims_as, typed)
    return token


_HEADER_ONLY: Final[tuple[Location, ...]] = ("header",)
