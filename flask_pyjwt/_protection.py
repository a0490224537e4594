"""The flow of one protected request: extract → verify → authorize → expose.

:func:`protect` runs it for a view's :class:`ViewPolicy` (everything the view requires,
resolved once by ``require_token``): it reads the token where the view says, has the
app's codec verify it (structure, signature, registered claims) and its revocation
store confirm it was not revoked since, checks what the view
requires of it (kind, override, scope, claims, route variables), and records it as the
request's ``current_token``. Every refusal is an :class:`~flask_pyjwt.HTTPAuthError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._core.errors import InvalidTokenError, UnavailableError
from ._core.matching import MISSING, satisfies, scope_satisfies
from ._core.strict_json import FrozenJSONObject, JSONValue
from ._core.tokens import AuthToken, Token, TokenType
from ._core.typed_claims import ClaimsDataclass, load_claims
from ._current import remember_claims, set_current_token
from ._http_errors import AuthenticationFailed, PermissionDenied, TemporarilyUnavailable
from ._manager import current_state
from ._transport import Location, from_cookie, from_header


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewPolicy:
    """Everything a protected view requires, resolved once at decoration."""

    kind: TokenType
    location: Location
    cookie_name: str | None
    scope: JSONValue
    has_scope: bool
    override: FrozenJSONObject | None
    literal_claims: FrozenJSONObject
    route_claims: tuple[tuple[str, str], ...]
    claims_as: type[ClaimsDataclass] | None = None
    check_revocation: bool = True


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


def protect(policy: ViewPolicy, view_args: Mapping[str, object]) -> None:
    """Run one request's checks for ``policy``; return only if the view may run.

    Raises:
        AuthenticationFailed: 401, no usable token.
        PermissionDenied: 403, a valid token that lacks what the view requires.
        TemporarilyUnavailable: 503, a service the check needs did not answer.
    """
    # extract
    raw = from_header() if policy.cookie_name is None else from_cookie(policy.cookie_name)
    # verify: the token itself, then whether it was revoked since (one store read)
    state = current_state()
    try:
        token = state.codec.decode(raw, policy.kind)
        if policy.check_revocation:
            state.sessions.check(token)
        # A declared claims shape is part of what makes the token valid here: 401.
        typed = None if policy.claims_as is None else load_claims(policy.claims_as, token.claims)
    except InvalidTokenError as error:
        raise AuthenticationFailed.from_token_error(error) from None
    except UnavailableError as error:
        raise TemporarilyUnavailable.from_unavailable(error) from None
    # authorize
    _authorize(policy, token, view_args)
    # expose
    set_current_token(token)
    if policy.claims_as is not None and typed is not None:
        remember_claims(token, policy.claims_as, typed)
