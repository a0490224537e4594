"""The token kinds: immutable values with typed registered claims. No Flask here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal, TypeAlias, Union

from ._errors import InvalidClaimError
from ._json import JSONObject, JSONValue

TokenTypeName = Literal["auth", "refresh"]
"""The two kinds of token, as the ``token_type`` argument of ``require_token`` spells them."""


class TokenType(str, enum.Enum):
    """The kind of a token: a short-lived auth (access) token or a long-lived refresh token.

    The value is what the ``type`` claim holds. Being a ``str`` enum, it serialises to JSON
    as ``"auth"``/``"refresh"``.
    """

    AUTH = "auth"
    REFRESH = "refresh"

    def __str__(self) -> str:
        return self.value

    @property
    def media_type(self) -> str:
        """The ``typ`` header value (RFC 8725 3.11 explicit typing; RFC 9068 for auth)."""
        return _MEDIA_TYPES[self]


_MEDIA_TYPES: Final[dict[TokenType, str]] = {
    TokenType.AUTH: "at+jwt",
    TokenType.REFRESH: "refresh+jwt",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _TokenBase:
    """The fields every token has.

    Attributes:
        sub: the subject (``sub``), normally a user id.
        iss: the issuer (``iss``), this app's ``JWT_ISSUER``.
        iat: issued-at, seconds since the epoch.
        exp: expiry, seconds since the epoch.
        jti: a unique id for this token.
        aud: the audience, if ``JWT_AUDIENCE`` is configured.
        signed: the compact JWT string (a bearer credential: never logged, not in ``repr``).
        alg: the algorithm the token was signed with.
        header: the protected header, read-only.
        claims: every claim in the token, read-only and JSON-serialisable.
    """

    sub: str
    iss: str
    iat: int
    exp: int
    jti: str
    aud: str | tuple[str, ...] | None = None
    signed: str = field(repr=False)
    alg: str
    header: JSONObject = field(repr=False)
    claims: JSONObject

    @property
    def max_age(self) -> int:
        """How long the token is valid for, in seconds (``exp - iat``)."""
        return self.exp - self.iat

    def is_signed(self) -> bool:
        """Whether the token carries a signed compact form (always true for tokens from
        this library; kept for Flask_PyJWT 1.x compatibility)."""
        return bool(self.signed)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthToken(_TokenBase):
    """An auth (access) token: what ``@require_token()`` accepts.

    Attributes:
        scope: the ``scope`` claim (a mapping such as ``{"admin": True}``, an OAuth
            space-separated string, ...), or ``None`` when the token has none.
    """

    token_type: ClassVar[Literal[TokenType.AUTH]] = TokenType.AUTH
    scope: JSONValue = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshToken(_TokenBase):
    """A refresh token: what ``@require_token("refresh")`` accepts.

    Attributes:
        rid: a random refresh id, distinct for every refresh token (for revocation lists).
    """

    token_type: ClassVar[Literal[TokenType.REFRESH]] = TokenType.REFRESH
    rid: str


Token: TypeAlias = Union[AuthToken, RefreshToken]
"""Either kind of token."""


def make_token(
    kind: TokenType,
    *,
    sub: str,
    iss: str,
    iat: int,
    exp: int,
    jti: str,
    aud: str | tuple[str, ...] | None,
    signed: str,
    alg: str,
    header: JSONObject,
    claims: JSONObject,
) -> Token:
    """Build the token value of ``kind``; its ``scope`` or ``rid`` is read from ``claims``.

    The one place both issuing and verifying turn checked claims into a token.

    Raises:
        InvalidClaimError: a refresh token without a non-empty string ``rid``.
    """
    if kind is TokenType.AUTH:
        return AuthToken(
            sub=sub, iss=iss, iat=iat, exp=exp, jti=jti, aud=aud, signed=signed, alg=alg,
            header=header, claims=claims, scope=claims.get("scope"),
        )  # fmt: skip
    rid = claims.get("rid")
    if not isinstance(rid, str) or not rid:
        raise InvalidClaimError("rid", "The token's rid claim must be a non-empty string.")
    return RefreshToken(
        sub=sub, iss=iss, iat=iat, exp=exp, jti=jti, aud=aud, signed=signed, alg=alg,
        header=header, claims=claims, rid=rid,
    )  # fmt: skip
