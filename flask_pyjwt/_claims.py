"""Validation of the registered claims of a verified token (RFC 7519 4.1, RFC 8725 3).

Runs after the signature verified. Every check is exact: JSON types are never coerced
(a ``"exp": "9999999999"`` string is not a time, ``true`` is not a number), the issuer
and audience are compared as whole strings, and the token's kind must agree between its
``typ`` header and its ``type`` claim. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ._errors import (
    ExpiredTokenError,
    ImmatureTokenError,
    InvalidClaimError,
    WrongTokenTypeError,
)
from ._json import FrozenJSONObject, JSONValue
from ._signing import JWSHeader
from ._tokens import Token, TokenType, make_token


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPolicy:
    """What a token's registered claims must say to be accepted.

    Attributes:
        issuer: the exact ``iss``.
        audience: the ``aud`` that must be present, or ``None`` (then a token that names
            an audience is refused: it was meant for someone else).
        leeway: seconds of clock skew tolerated on ``exp``, ``nbf`` and ``iat``.
    """

    issuer: str
    audience: str | None
    leeway: int


_MAX_SAFE_INTEGER: Final = 2**53 - 1
"""RFC 7493 (I-JSON) 2.2: numbers beyond this magnitude are not interoperable. The one
comparison also refuses NaN and infinities, and never converts a 400-digit ``exp`` to a
float (``math.isfinite`` raised ``OverflowError`` on it: an HTTP 500)."""


def _number(claims: FrozenJSONObject, name: str) -> float:
    value = claims.get(name)
    # bool is an int subclass: refuse it explicitly.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidClaimError(name, f"The token's {name} claim must be a number of seconds.")
    if not abs(value) <= _MAX_SAFE_INTEGER:
        raise InvalidClaimError(name, f"The token's {name} claim must be a number of seconds.")
    return value


def _string(claims: FrozenJSONObject, name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidClaimError(name, f"The token's {name} claim must be a non-empty string.")
    return value


# The ``type`` claim's exact string -> kind (a dict lookup; no Enum machinery per token).
_KINDS: Final[dict[str, TokenType]] = {kind.value: kind for kind in TokenType}


def _kind(header: JWSHeader, claims: FrozenJSONObject) -> TokenType:
    value = claims.get("type")
    kind = _KINDS.get(value) if isinstance(value, str) else None
    if kind is None:
        raise WrongTokenTypeError("The token is neither an auth nor a refresh token.")
    if header.typ != kind.media_type:
        raise WrongTokenTypeError("The token's typ header does not match its kind.")
    return kind


def _audience(claims: FrozenJSONObject, expected: str | None) -> str | tuple[str, ...] | None:
    if "aud" not in claims:
        if expected is not None:
            raise InvalidClaimError(
                "aud", "The token has no audience, but this server requires one."
            )
        return None
    value = claims["aud"]
    audiences: tuple[JSONValue, ...] = value if isinstance(value, tuple) else (value,)
    if not audiences or not all(isinstance(item, str) for item in audiences):
        raise InvalidClaimError(
            "aud", "The token's aud claim must be a string or an array of strings."
        )
    if expected is None or expected not in audiences:
        raise InvalidClaimError("aud", "The token is meant for another audience.")
    return value if isinstance(value, str) else tuple(str(item) for item in audiences)


def _with_article(kind: TokenType) -> str:
    return "an auth token" if kind is TokenType.AUTH else "a refresh token"


def validate_claims(
    header: JWSHeader,
    claims: FrozenJSONObject,
    signed: str,
    policy: ClaimPolicy,
    *,
    now: float,
    expected: TokenType | None,
) -> Token:
    """Check the registered claims and build the token value.

    Raises:
        WrongTokenTypeError: the kind is unknown, inconsistent, or not ``expected``.
        InvalidClaimError: a registered claim is missing, mistyped or wrong.
        ExpiredTokenError: ``now`` is at or past ``exp`` (plus leeway).
        ImmatureTokenError: ``nbf`` or ``iat`` is after ``now`` (plus leeway).
    """
    kind = _kind(header, claims)
    if expected is not None and kind is not expected:
        raise WrongTokenTypeError(
            f"This requires {_with_article(expected)}, not {_with_article(kind)}."
        )
    iss = claims.get("iss")
    if not isinstance(iss, str) or iss != policy.issuer:
        raise InvalidClaimError("iss", "The token was not issued by this server.")
    sub = _string(claims, "sub")
    jti = _string(claims, "jti")
    exp = _number(claims, "exp")
    iat = _number(claims, "iat")
    nbf = _number(claims, "nbf") if "nbf" in claims else None
    leeway = policy.leeway
    if now >= exp + leeway:
        raise ExpiredTokenError("The token has expired.")
    if iat > now + leeway or (nbf is not None and nbf > now + leeway):
        raise ImmatureTokenError("The token is not valid yet.")
    aud = _audience(claims, policy.audience)
    return make_token(
        kind, sub=sub, iss=iss, iat=int(iat), exp=int(exp), jti=jti, aud=aud, signed=signed,
        alg=header.alg, header=header.fields, claims=claims,
    )  # fmt: skip
