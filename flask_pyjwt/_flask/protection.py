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
from typing import Final, NoReturn

from flask_pyjwt._core.dpop import DPoPMode, bound_key
from flask_pyjwt._core.errors import (
    ClaimInvalidError,
    InvalidConfigError,
    InvalidTokenError,
    RefreshTokenReusedError,
    UnavailableError,
)
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.requirements import Requirements, authorize
from flask_pyjwt._core.sessions import session_of
from flask_pyjwt._core.tokens import REFRESH, AuthToken, RefreshToken, Token
from flask_pyjwt._core.transport import TransportSettings
from flask_pyjwt._core.typed_claims import load_claims

from .context import get_app, get_request
from .current import remember_claims, set_current_token
from .dpop import check_request_proof, dpop_challenge, uses_dpop_scheme
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
from .state import AppState, current_state
from .transport import Names, check_csrf, find_token, header_token


def _names(requirements: Requirements, transport: TransportSettings) -> Names:
    # Either kind (kind None) reads the auth token's names.
    if requirements.kind is REFRESH:
        cookie, json_key = transport.refresh_cookie, transport.refresh_json_key
    else:
        cookie, json_key = transport.auth_cookie, transport.auth_json_key
    if requirements.cookie_name is not None:
        cookie = requirements.cookie_name
    return Names(
        cookie=cookie, query=transport.query_param, json_key=json_key, header=transport.header
    )


def protect(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    """Run one request's checks for ``requirements``; return only if the view may run.

    A refusal of a request that uses DPoP, or on a route that requires it, carries the
    ``DPoP`` challenge (RFC 9449 7.1).

    Returns:
        The verified token, or ``None`` on an ``optional`` route that got no token.

    Raises:
        AuthenticationFailed: 401, no usable token (or its user is unknown).
        PermissionDenied: 403, a valid token that lacks what the view requires, or a
            token cookie without its CSRF header.
        TemporarilyUnavailable: 503, a service the check needs did not answer.
        InvalidConfigError: the route's ``providers`` names a source the app lacks.
    """
    if TOKEN_VERIFIED_RECEIVERS or AUTHENTICATION_FAILED_RECEIVERS:
        return _protect_and_tell(requirements, view_args)
    return _check(requirements, view_args)


def _protect_and_tell(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    """:func:`protect`, timed, its outcome sent to the request signals' receivers."""
    started = perf_counter()
    try:
        token = _check(requirements, view_args)
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
                "provider": token.provider,
                "duration": perf_counter() - started,
            },
        )
    return token


def _source(requirements: Requirements) -> Location | None:
    """The location the current request carries the token in, ``None`` if none, if
    what it carries is no token, or if it came in an identity provider's own header
    (read again: only for the signals)."""
    transport = current_state().codec.settings.transport
    locations = requirements.locations or transport.locations
    try:
        carried = find_token(locations, _names(requirements, transport), optional=True)
    except HTTPAuthError:
        return None
    return None if carried is None else carried.location


def _check(requirements: Requirements, view_args: Mapping[str, object]) -> Token | None:
    state = current_state()
    mode = requirements.dpop or state.codec.settings.dpop.mode
    # Werkzeug types the environ as dict[str, Any]; read its values as object.
    environ: MutableMapping[str, object] = get_request().environ
    try:
        return _protect(requirements, view_args, state, mode, environ)
    except HTTPAuthError as error:
        if mode == "required" or (mode != "disabled" and uses_dpop_scheme(environ)):
            dpop_challenge(error, state.dpop)
        raise


def _protect(
    requirements: Requirements,
    view_args: Mapping[str, object],
    state: AppState,
    mode: DPoPMode,
    environ: MutableMapping[str, object],
) -> Token | None:
    codec = state.codec
    transport = codec.settings.transport
    # extract
    locations = requirements.locations or transport.locations
    raw = header_token(environ, transport.header) if locations == _HEADER_ONLY else None
    via: frozenset[str] | None = None  # the sources whose own header carried the token
    scheme = "Bearer"
    if raw is None:  # another location, or a header the fast path leaves to find_token
        headers = _source_headers(codec.source_headers, requirements)
        names = _names(requirements, transport)
        dpop = mode != "disabled"
        carried = find_token(
            locations, names, optional=requirements.optional or bool(headers), dpop=dpop
        )
        if carried is None and headers:
            found = _from_source_headers(headers)
            if found is None:  # nothing anywhere: find_token says so (or None if optional)
                carried = find_token(locations, names, optional=requirements.optional, dpop=dpop)
            else:
                via, raw = found
        if raw is None:
            if carried is None:
                return None
            csrf_cookie = (
                transport.refresh_csrf_cookie
                if requirements.kind is REFRESH
                else transport.auth_csrf_cookie
            )
            check_csrf(carried, transport, csrf_cookie)
            raw, scheme = carried.token, carried.scheme
    if requirements.providers is not None and not requirements.providers <= codec.source_names:
        _unknown_sources(requirements.providers, codec.source_names)
    # verify: the token itself, then whether it was revoked since (one store read)
    try:
        if requirements.providers is None and via is None:
            token = codec.decode(raw, requirements.kind)
        else:
            # The source first: another source's token is refused by its iss alone,
            # never answered 503 because that source's keys are unavailable.
            source = codec.source_of(raw)
            _check_source(source.name, requirements.providers, via)
            token = source.decode(raw, requirements.kind)
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
        jkt = bound_key(token.claims) if "cnf" in token.claims or scheme == "DPoP" else None
        # A declared claims shape is part of what makes the token valid here: 401.
        typed = (
            None
            if requirements.claims_as is None
            else load_claims(requirements.claims_as, token.claims)
        )
    except InvalidTokenError as error:
        # An expired token whose signature verified is shown to error handlers
        # (expired_token); nothing of one refused earlier.
        expired = codec.expired_token(error, raw, requirements.kind)
        raise AuthenticationFailed.from_token_error(error, expired_token=expired) from None
    except UnavailableError as error:
        raise TemporarilyUnavailable.from_unavailable(error) from None
    # sender constraint (RFC 9449 7): a bound token only with its proof
    if scheme == "DPoP" or jkt is not None or mode == "required":
        _check_binding(state, environ, raw, scheme, jkt, mode)
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


def _check_binding(
    state: AppState,
    environ: MutableMapping[str, object],
    raw: str,
    scheme: str,
    jkt: str | None,
    mode: DPoPMode,
) -> None:
    if scheme == "DPoP":
        if jkt is None:
            raise AuthenticationFailed.from_token_error(
                ClaimInvalidError(
                    "cnf", "The token is not bound to a DPoP key; send it with the Bearer scheme."
                )
            )
        check_request_proof(state, environ, access_token=raw, expected_jkt=jkt)
        return
    if jkt is not None and mode == "disabled":
        raise AuthenticationFailed.from_token_error(
            ClaimInvalidError(
                "cnf", "The token is bound to a DPoP key, which this server does not accept."
            )
        )
    raise dpop_challenge(
        AuthenticationFailed(
            error_code="dpop_required",
            message="This token is bound to a DPoP key: send it as 'Authorization: DPoP <token>' "
            "with a DPoP proof."
            if jkt is not None
            else "This requires a DPoP-bound token, sent as 'Authorization: DPoP <token>' with a "
            "DPoP proof.",
        ),
        state.dpop,
    )


_HEADER_ONLY: Final[tuple[Location, ...]] = ("header",)


def _source_headers(
    headers: tuple[tuple[str, str], ...], requirements: Requirements
) -> tuple[tuple[str, str], ...]:
    """The (source, header) pairs this route reads besides its locations: those of the
    sources it accepts."""
    if not headers or requirements.providers is None:
        return headers
    allowed = requirements.providers
    return tuple((name, header) for name, header in headers if name in allowed)


def _from_source_headers(
    headers: tuple[tuple[str, str], ...],
) -> tuple[frozenset[str], str] | None:
    """The first provider header that carries a token (bare, no scheme), and the sources
    that use that header (several providers may share one: two Cloudflare Access teams)."""
    request_headers = get_request().headers
    for _, header in headers:
        values = request_headers.getlist(header)
        if len(values) > 1:
            raise AuthenticationFailed(
                error_code="token_malformed",
                message=f"Several {header} headers were sent; exactly one is accepted.",
            )
        value = values[0].strip(" \t") if values else ""
        if value:
            key = header.lower()
            return frozenset(name for name, other in headers if other.lower() == key), value
    return None


def _unknown_sources(named: frozenset[str], configured: frozenset[str]) -> NoReturn:
    """A route names a source the app does not have: a programming error, raised on each
    of its requests (never a silent 401 for every token)."""
    unknown = ", ".join(sorted(named - configured))
    raise InvalidConfigError(
        "providers",
        f"require_token(providers=...) names {unknown}, which this app does not accept "
        f"tokens from; its sources are {', '.join(sorted(configured))}",
    )


def _check_source(source: str, allowed: frozenset[str] | None, via: frozenset[str] | None) -> None:
    """Refuse a token from a source the route does not accept, or one read from another
    provider's header (401)."""
    if allowed is not None and source not in allowed:
        raise AuthenticationFailed(
            error_code="claim_invalid",
            message="This route does not accept tokens from this issuer.",
        )
    if via is not None and source not in via:
        raise AuthenticationFailed(
            error_code="claim_invalid",
            message="The token in this header is not from the provider that uses it.",
        )
