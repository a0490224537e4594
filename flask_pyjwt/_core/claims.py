"""Validation of the registered claims of a verified token (RFC 7519 4.1, RFC 8725 3).

Runs after the signature verified. Every check is exact: JSON types are never coerced
(a ``"exp": "9999999999"`` string is not a time, ``true`` is not a number), the issuer
and audience are compared as whole strings, and the token's kind must agree between its
``typ`` header and its ``type`` claim. No Flask here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

from .errors import (
    ClaimInvalidError,
    TokenExpiredError,
    TokenNotYetValidError,
    TokenTypeInvalidError,
)
from .issuers import IssuerRule
from .signing import JWSHeader
from .strict_json import FrozenJSONObject, JSONValue
from .tokens import KIND_NAMES, AuthToken, Token, TokenType, make_token


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPolicy:
    """What a token's registered claims must say to be accepted.

    Attributes:
        issuer: the exact ``iss``.
        audience: the ``aud`` that must be present (one of them, for several), or
            ``None`` (then a token that names an audience is refused: it was meant for
            someone else).
        leeway: seconds of clock skew tolerated on ``exp``, ``nbf`` and ``iat``.
        accept_legacy: also accept the Flask_PyJWT 1.x format (``typ`` ``JWT`` or none,
            no ``jti``); see :func:`validate_claims`.
        identity_provider: the tokens are an identity provider's access tokens
            (``JWT_JWKS_URL``); see :func:`validate_access_token`.
        require_at_jwt: with ``identity_provider``, refuse ``typ`` ``JWT`` or none.
        provider: the source name given to the tokens accepted (``"self"``, or the
            identity provider's name).
        issuer_rule: with ``identity_provider``, the ``iss`` values accepted instead of
            ``issuer`` alone (several spellings, ``{tid}`` templates).
        client_id: with ``token_use``, the ``client_id`` claim required (Cognito);
            without, a token with no ``aud`` passes when its ``azp`` is this client
            (Keycloak without an audience mapper).
        token_use: the ``token_use`` claim required (Cognito: ``access`` or ``id``).
        identity_claim: the claim that names the user; when not ``sub``, it must be a
            non-empty string and ``sub`` may be absent.
    """

    issuer: str
    audience: str | tuple[str, ...] | None
    leeway: int
    accept_legacy: bool = False
    identity_provider: bool = False
    require_at_jwt: bool = False
    provider: str = "self"
    issuer_rule: IssuerRule | None = None
    client_id: str | None = None
    token_use: str | None = None
    identity_claim: str = "sub"


_MAX_SAFE_INTEGER: Final = 2**53 - 1
"""RFC 7493 (I-JSON) 2.2: numbers beyond this magnitude are not interoperable. The one
comparison also refuses NaN and infinities, and never converts a 400-digit ``exp`` to a
float (``math.isfinite`` raised ``OverflowError`` on it: an HTTP 500)."""


def _number(claims: FrozenJSONObject, name: str) -> float:
    value = claims.get(name)
    # bool is an int subclass: refuse it explicitly.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ClaimInvalidError(name, f"The token's {name} claim must be a number of seconds.")
    if not abs(value) <= _MAX_SAFE_INTEGER:
        raise ClaimInvalidError(name, f"The token's {name} claim must be a number of seconds.")
    return value


def _string(claims: FrozenJSONObject, name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise ClaimInvalidError(name, f"The token's {name} claim must be a non-empty string.")
    return value


# The ``type`` claim's exact string -> kind and its typ.
_KINDS: Final[dict[str, tuple[TokenType, str]]] = {
    name: (kind, media) for kind, (name, media) in KIND_NAMES.items()
}

_APPLICATION: Final = "application/"

# The typ values Flask_PyJWT 1.x tokens carry (PyJWT's default "JWT", or none), after
# normalisation.
_LEGACY_TYPES: Final = frozenset({None, "jwt"})


def media_type(typ: str | None) -> str | None:
    """``typ`` as RFC 7515 4.1.9 compares it: case-insensitive, ``application/`` optional.

    ``"application/at+JWT"`` and ``"at+jwt"`` are the same media type (RFC 9068 2.1 makes
    resource servers accept both spellings).
    """
    if typ is None:
        return None
    lowered = typ.lower()
    if lowered.startswith(_APPLICATION) and "/" not in lowered[len(_APPLICATION) :]:
        return lowered[len(_APPLICATION) :]
    return lowered


def _kind(
    header: JWSHeader, claims: FrozenJSONObject, accept_legacy: bool
) -> tuple[TokenType, bool]:
    """The token's kind, and whether it is in the legacy 1.x format."""
    value = claims.get("type")
    found = _KINDS.get(value) if isinstance(value, str) else None
    if found is None:
        raise TokenTypeInvalidError("The token is neither an auth nor a refresh token.")
    kind, expected_typ = found
    typ = header.typ
    if typ == expected_typ:  # what this library writes: no normalisation needed
        return kind, False
    typ = media_type(typ)
    if typ == expected_typ:
        return kind, False
    if accept_legacy and typ in _LEGACY_TYPES and "jti" not in claims:
        return kind, True
    raise TokenTypeInvalidError("The token's typ header does not match its kind.")


def _legacy_subject(claims: FrozenJSONObject) -> str:
    # Flask_PyJWT 1.x accepted int subjects; the typed sub is their decimal string (the
    # claims keep the original JSON value).
    value = claims.get("sub")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string(claims, "sub")


def _audience(
    claims: FrozenJSONObject, expected: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    if "aud" not in claims:
        if expected is not None:
            raise ClaimInvalidError(
                "aud", "The token has no audience, but this server requires one."
            )
        return None
    value = claims["aud"]
    audiences: tuple[JSONValue, ...] = value if isinstance(value, tuple) else (value,)
    if not audiences or not all(isinstance(item, str) for item in audiences):
        raise ClaimInvalidError(
            "aud", "The token's aud claim must be a string or an array of strings."
        )
    if expected is None or (
        expected not in audiences
        if isinstance(expected, str)
        else all(wanted not in audiences for wanted in expected)
    ):
        raise ClaimInvalidError("aud", "The token is meant for another audience.")
    return value if isinstance(value, str) else tuple(str(item) for item in audiences)


def _with_article(kind: TokenType) -> str:
    return "an auth token" if kind is TokenType.AUTH else "a refresh token"


def wrong_kind_message(expected: TokenType, kind: TokenType) -> str:
    """What a token of ``kind`` is refused with where ``expected`` is required."""
    return f"This requires {_with_article(expected)}, not {_with_article(kind)}."


def check_validity_window(exp: float, not_before: float, now: float, leeway: float) -> None:
    """Raise unless ``now`` is inside the token's validity window, allowing ``leeway``.

    ``not_before`` is the later of ``iat`` and ``nbf``. The one place a token's times are
    checked: by the full verification and by every hit of the verified-token cache.

    Raises:
        TokenExpiredError: ``now`` is at or past ``exp`` plus ``leeway``.
        TokenNotYetValidError: ``not_before`` is after ``now`` plus ``leeway``.
    """
    if now >= exp + leeway:
        raise TokenExpiredError("The token has expired.")
    if not_before > now + leeway:
        raise TokenNotYetValidError("The token is not valid yet.")


def validate_claims(
    header: JWSHeader,
    claims: FrozenJSONObject,
    signed: str,
    policy: ClaimPolicy,
    *,
    now: float,
    expected: TokenType | None,
    expired_ok: bool = False,
) -> Token:
    """Check the registered claims and build the token value.

    The kind comes from the ``type`` claim and must agree with the ``typ`` header
    (``at+jwt`` / ``refresh+jwt``, compared as media types). With
    ``policy.accept_legacy``, a token whose ``typ`` is ``JWT`` or absent and that has no
    ``jti`` is a Flask_PyJWT 1.x token: every other check still applies, its ``jti`` is
    ``""`` and its ``legacy`` is true.

    With ``expired_ok``, an expired token passes (every other check applies): what
    revoking one needs, to end its session.

    Raises:
        TokenTypeInvalidError: the kind is unknown, inconsistent, or not ``expected``.
        ClaimInvalidError: a registered claim is missing, mistyped or wrong.
        TokenExpiredError: ``now`` is at or past ``exp`` (plus leeway).
        TokenNotYetValidError: ``nbf`` or ``iat`` is after ``now`` (plus leeway).
    """
    if policy.identity_provider:
        return validate_access_token(
            header, claims, signed, policy, now=now, expected=expected, expired_ok=expired_ok
        )
    kind, legacy = _kind(header, claims, policy.accept_legacy)
    if expected is not None and kind is not expected:
        raise TokenTypeInvalidError(wrong_kind_message(expected, kind))
    iss = claims.get("iss")
    if not isinstance(iss, str) or iss != policy.issuer:
        raise ClaimInvalidError("iss", "The token was not issued by this server.")
    if legacy:
        sub, jti = _legacy_subject(claims), ""
    else:
        sub_claim, jti_claim = claims.get("sub"), claims.get("jti")
        # The common case inline; _string raises for anything else.
        sub = sub_claim if isinstance(sub_claim, str) and sub_claim else _string(claims, "sub")
        jti = jti_claim if isinstance(jti_claim, str) and jti_claim else _string(claims, "jti")
    exp, iat = claims.get("exp"), claims.get("iat")
    # The common case inline (plain ints in range); anything else through _number,
    # which accepts floats and raises for the rest.
    if type(exp) is not int or not -_MAX_SAFE_INTEGER <= exp <= _MAX_SAFE_INTEGER:
        exp = _number(claims, "exp")
    if type(iat) is not int or not -_MAX_SAFE_INTEGER <= iat <= _MAX_SAFE_INTEGER:
        iat = _number(claims, "iat")
    nbf = _number(claims, "nbf") if "nbf" in claims else None
    check_validity_window(
        math.inf if expired_ok else exp,
        iat if nbf is None or nbf < iat else nbf,
        now,
        policy.leeway,
    )
    aud = (
        None
        if "aud" not in claims and policy.audience is None
        else _audience(claims, policy.audience)
    )
    return make_token(
        kind, sub=sub, iss=iss, iat=int(iat), exp=int(exp), jti=jti, aud=aud, signed=signed,
        alg=header.alg, header=header.fields, claims=claims, legacy=legacy,
    )  # fmt: skip


# The typ values an identity provider's access token may have besides at+jwt, after
# normalisation: "JWT" (what most still send) or none.
_PLAIN_JWT_TYPES: Final = frozenset({None, "jwt"})


def validate_access_token(
    header: JWSHeader,
    claims: FrozenJSONObject,
    signed: str,
    policy: ClaimPolicy,
    *,
    now: float,
    expected: TokenType | None,
    expired_ok: bool = False,
) -> AuthToken:
    """Check an identity provider's access token (RFC 9068) and build its value.

    ``typ`` must be ``at+jwt`` (``application/at+jwt``, any case); ``JWT`` or none is
    accepted unless ``policy.require_at_jwt``; anything else is refused. There is no
    ``type`` claim: every such token is an auth token. ``iss`` must be the configured
    issuer; ``sub`` a non-empty string; ``exp`` and ``iat`` numbers (``nbf`` when
    present); ``aud`` must name a configured audience; ``jti`` is optional (``""`` when
    absent). The scope is the ``scope`` claim, or else the ``scp`` claim (a list, or a
    space-separated string).

    Raises:
        TokenTypeInvalidError: another ``typ``, or a refresh token was ``expected``.
        ClaimInvalidError, TokenExpiredError, TokenNotYetValidError: as
            :func:`validate_claims`.
    """
    typ = media_type(header.typ)
    if typ != TokenType.AUTH.media_type and (policy.require_at_jwt or typ not in _PLAIN_JWT_TYPES):
        raise TokenTypeInvalidError("The token is not an access token (typ at+jwt).")
    if expected is TokenType.REFRESH:
        raise TokenTypeInvalidError(wrong_kind_message(TokenType.REFRESH, TokenType.AUTH))
    iss = claims.get("iss")
    rule = policy.issuer_rule
    if not isinstance(iss, str) or (
        iss != policy.issuer if rule is None else not rule.matches(iss, claims)
    ):
        raise ClaimInvalidError("iss", "The token was not issued by the expected issuer.")
    if policy.identity_claim == "sub":
        sub = _string(claims, "sub")
    else:
        _string(claims, policy.identity_claim)
        sub_claim = claims.get("sub")
        sub = sub_claim if isinstance(sub_claim, str) else ""
    jti = _string(claims, "jti") if "jti" in claims else ""
    exp = _number(claims, "exp")
    iat = _number(claims, "iat")
    nbf = _number(claims, "nbf") if "nbf" in claims else None
    check_validity_window(
        math.inf if expired_ok else exp,
        iat if nbf is None or nbf < iat else nbf,
        now,
        policy.leeway,
    )
    aud = _provider_audience(claims, policy)
    token = make_token(
        TokenType.AUTH, sub=sub, iss=iss, iat=int(iat), exp=int(exp), jti=jti, aud=aud,
        signed=signed, alg=header.alg, header=header.fields, claims=claims,
        provider=policy.provider,
    )  # fmt: skip
    assert isinstance(token, AuthToken)
    if "scope" not in claims and "scp" in claims:
        return replace(token, scope=claims["scp"])
    return token


def _provider_audience(
    claims: FrozenJSONObject, policy: ClaimPolicy
) -> str | tuple[str, ...] | None:
    """``aud``, or the substitute the provider documents for it.

    Cognito (``token_use``): the ``token_use`` claim must be the configured one, and an
    access token's ``client_id`` claim the configured client (it has no ``aud``).
    Keycloak (``client_id`` alone): a token without ``aud`` passes when its ``azp`` is
    the client (one that has an ``aud`` must name the audience: a token meant for
    another API is never accepted for its ``azp``). Otherwise ``aud`` must name the
    audience.
    """
    client_id = policy.client_id
    if policy.token_use is not None:
        if claims.get("token_use") != policy.token_use:
            raise ClaimInvalidError(
                "token_use", f"The token's token_use claim must be {policy.token_use!r}."
            )
        if policy.token_use == "access" and claims.get("client_id") != client_id:  # noqa: S105 - a claim value, not a password
            raise ClaimInvalidError("client_id", "The token was issued to another client.")
    elif client_id is not None and "aud" not in claims and claims.get("azp") == client_id:
        return None  # Keycloak without an audience mapper: the client is the azp
    return _audience(claims, policy.audience)
