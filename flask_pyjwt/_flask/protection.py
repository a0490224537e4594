"""The flow of one protected request: extract → verify → authorize → expose.

:func:`protect` runs it for a view's :class:`ViewPolicy` (everything the view requires,
resolved once by ``require_token``): it reads the token from the first location that
carries one (and, for a cookie on an unsafe method, checks its CSRF header), has the
app's codec verify it (structure, signature, registered claims, then freshness if the
view requires it) and the revocation store confirm it was not revoked since, checks
what the view requires of it (kind, override, scope, claims,
route variables), records it as the request's ``current_token`` and loads its user.
Every refusal is an :class:`~flask_pyjwt.HTTPAuthError`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Final

from flask_pyjwt._core.errors import InvalidTokenError, UnavailableError
from flask_pyjwt._core.locations import Location
from flask_pyjwt._core.matching import MISSING, satisfies, scope_satisfies
from flask_pyjwt._core.strict_json import FrozenJSONObject, JSONValue
from flask_pyjwt._core.tokens import AUTH, AuthToken, Token, TokenType
from flask_pyjwt._core.transport import TransportSettings
from flask_pyjwt._core.typed_claims import ClaimsDataclass, load_claims

from .context import get_request
from .current import remember_claims, set_current_token
from .http_errors import AuthenticationFailed, PermissionDenied, TemporarilyUnavailable
from .state import current_state
from .transport import Names, bearer_token, check_csrf, find_token


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewPolicy:
    """Everything a protected view requires, resolved once at decoration."""

    kind: TokenType
    locations: tuple[Location, ...] | None  # None: the app's JWT_TOKEN_LOCATION
    cookie_name: str | None  # None: the app's cookie for the kind
    scope: JSONValue
    has_scope: bool
    override: FrozenJSONObject | None
    literal_claims: FrozenJSONObject
    route_claims: tuple[tuple[str, str], ...]
    claims_as: type[ClaimsDataclass] | None = None
    optional: bool = False
    fresh: bool = False
    check_revocation: bool = True
    requires_claims: bool = field(init=False)

    def __post_init__(self) -> None:
        # Whether _authorize has anything to check (most routes only need a valid token).
        requires = (
            self.override is not None
            or self.has_scope
            or bool(self.literal_claims)
            or bool(self.route_claims)
        )
        object.__setattr__(self, "requires_claims", requires)


def _route_value(value: object) -> JSONValue:
    # Flask converters yield str, int, float, UUID or path strings; compare non-JSON ones
    # (UUID) by their string form, which is how they appear in a token.
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _authorize(policy: ViewPolicy, token: Token, view_args: Mapping[str, object]) -> None:
    claims = token.claims
    if policy.override is not None and satisfies(claims, policy.override):
        return
    if policy.has_scope:
        held = token.scope if isinstance(token, AuthToken) else MISSING
        if not scope_satisfies(held, policy.scope):
            raise PermissionDenied(
                error_code="insufficient_scope", message="The token lacks a required scope."
            )
    if policy.literal_claims and not satisfies(claims, policy.literal_claims):
        raise PermissionDenied(
            error_code="claim_mismatch", message="The token lacks a required claim."
        )
    for claim, variable in policy.route_claims:
        if variable not in view_args or not satisfies(
            claims.get(claim, MISSING), _route_value(view_args[variable])
        ):
            raise PermissionDenied(
                error_code="claim_mismatch", message="The token does not match this resource."
            )


def _names(policy: ViewPolicy, transport: TransportSettings) -> Names:
    if policy.kind is AUTH:
        cookie, json_key = transport.auth_cookie, transport.auth_json_key
    else:
        cookie, json_key = transport.refresh_cookie, transport.refresh_json_key
    if policy.cookie_name is not None:
        cookie = policy.cookie_name
    return Names(cookie=cookie, query=transport.query_param, json_key=json_key)


def protect(policy: ViewPolicy, view_args: Mapping[str, object]) -> Token | None:
    """Run one request's checks for ``policy``; return only if the view may run.

    Returns:
        The verified token, or ``None`` on an ``optional`` route that got no token.

    Raises:
        AuthenticationFailed: 401, no usable token (or its user is unknown).
        PermissionDenied: 403, a valid token that lacks what the view requires, or a
            token cookie without its CSRF header.
        TemporarilyUnavailable: 503, a service the check needs did not answer.
    """
    state = current_state()
    codec = state.codec
    transport = codec.settings.transport
    # Werkzeug types the environ as dict[str, Any]; read its values as object.
    environ: MutableMapping[str, object] = get_request().environ
    # extract
    locations = policy.locations or transport.locations
    raw = bearer_token(environ) if locations == _HEADER_ONLY else None
    if raw is None:  # another location, or a header the fast path leaves to find_token
        carried = find_token(locations, _names(policy, transport), optional=policy.optional)
        if carried is None:
            return None
        csrf_cookie = (
            transport.auth_csrf_cookie if policy.kind is AUTH else transport.refresh_csrf_cookie
        )
        check_csrf(carried, transport, csrf_cookie)
        raw = carried.token
    # verify: the token itself, then whether it was revoked since (one store read)
    try:
        token = codec.decode(raw, policy.kind)
        if policy.check_revocation:
            state.sessions.check(token)
        # A declared claims shape is part of what makes the token valid here: 401.
        typed = None if policy.claims_as is None else load_claims(policy.claims_as, token.claims)
    except InvalidTokenError as error:
        raise AuthenticationFailed.from_token_error(error) from None
    except UnavailableError as error:
        raise TemporarilyUnavailable.from_unavailable(error) from None
    if policy.fresh and not (isinstance(token, AuthToken) and codec.is_fresh(token)):
        raise AuthenticationFailed(
            error_code="fresh_token_required",
            message="This requires a fresh token: authenticate again (a refreshed token "
            "is not fresh).",
        )
    # authorize
    if policy.requires_claims:
        _authorize(policy, token, view_args)
    # expose: the user first, so that a request refused for its user (401
    # user_not_found, or the loader's own error) has no current token either
    loader = state.users.loader
    if loader is not None:
        loader.load_for(token)
    set_current_token(token, environ)
    if policy.claims_as is not None and typed is not None:
        remember_claims(token, policy.claims_as, typed)
    return token


_HEADER_ONLY: Final[tuple[Location, ...]] = ("header",)
