"""The token kinds: immutable values with typed registered claims. No Flask here."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal, NewType, TypeAlias, Union

from .errors import ClaimInvalidError
from .speedups import dict_builder
from .strict_json import JSONObject, JSONValue

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

_BY_NAME: Final[dict[str, TokenType]] = {kind.value: kind for kind in TokenType}

# The members as module constants, and each kind's two names in one table.
AUTH: Final = TokenType.AUTH
REFRESH: Final = TokenType.REFRESH
KIND_NAMES: Final[dict[TokenType, tuple[str, str]]] = {
    kind: (kind.value, _MEDIA_TYPES[kind]) for kind in TokenType
}
"""Each kind's ``type`` claim value and ``typ`` header value."""


def parse_token_type(value: object) -> TokenType:
    """The :class:`TokenType` named by ``value`` (``"auth"``, ``"refresh"`` or a member).

    The one place a token kind given by a caller is read (``require_token``,
    ``convert_token``), so both report a wrong one alike. A dict lookup: no Enum call.

    Raises:
        ValueError: anything else.
    """
    known = _BY_NAME.get(value) if isinstance(value, str) else None
    if known is None:
        raise ValueError(f"token_type must be 'auth' or 'refresh', got {value!r}")
    return known


TokenTypes: TypeAlias = Union[TokenTypeName, TokenType, "tuple[TokenTypeName | TokenType, ...]"]
"""What ``token_type`` takes: one kind, or a tuple of kinds of which any is accepted
(``("auth", "refresh")``, for a logout view)."""


def parse_token_types(value: object) -> TokenType | None:
    """The kind named by ``value``, or ``None`` for a tuple naming both (either kind).

    A one-element tuple is that kind.

    Raises:
        ValueError: an unknown kind, an empty tuple, or a kind named twice.
    """
    if not isinstance(value, tuple):
        return parse_token_type(value)
    items: tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
    kinds = [parse_token_type(item) for item in items]
    if not kinds:
        raise ValueError("token_type=() accepts no token; name 'auth', 'refresh' or both")
    if len(set(kinds)) != len(kinds):
        raise ValueError(f"token_type names a kind twice: {items!r}")
    return kinds[0] if len(kinds) == 1 else None


SessionId = NewType("SessionId", str)
"""The id of a session (the ``sid`` claim): what ``auth_token(session=...)`` takes
besides the refresh token itself.

A token's :attr:`~AuthToken.sid` is one; wrap an id the app stored itself as
``SessionId(stored)``. A distinct type so that a plain ``str``, above all a compact
token (``refresh.signed``), is a type error there: a token put in ``sid`` would hand
the refresh token to whoever sees the auth token.
"""


@dataclass(frozen=True, kw_only=True)
class _TokenBase:
    """The fields every token has.

    Attributes:
        sub: the subject (``sub``), normally a user id.
        iss: the issuer (``iss``), this app's ``JWT_ISSUER``.
        iat: issued-at, seconds since the epoch.
        exp: expiry, seconds since the epoch.
        jti: a unique id for this token (``""`` for a legacy 1.x token, which has none).
        aud: the audience, if ``JWT_AUDIENCE`` is configured.
        signed: the compact JWT string (a bearer credential: never logged, not in ``repr``).
        alg: the algorithm the token was signed with.
        header: the protected header, read-only.
        claims: every claim in the token, read-only and JSON-serialisable.
        sid: the session (refresh-token family) the token belongs to: every refresh
            token has one, and an auth token has one when it was issued for a session
            (by ``rotate``, or with ``session=``). Revoking the session revokes them all.
        legacy: a Flask_PyJWT 1.x token accepted under ``JWT_ACCEPT_LEGACY_TOKENS``
            (no explicit type, no ``jti``, so it cannot be revoked on its own).
        provider: the name of the source that issued the token: ``"self"`` for the
            app's own tokens, an :class:`~flask_pyjwt.IdentityProvider`'s ``name``, or
            ``"default"`` for the ``JWT_JWKS_URL`` provider.
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
    sid: SessionId | None = None
    legacy: bool = False
    provider: str = "self"

    @property
    def max_age(self) -> int:
        """How long the token is valid for, in seconds (``exp - iat``)."""
        return self.exp - self.iat

    def is_expired(self, now: float | None = None) -> bool:
        """Whether ``exp`` has passed at ``now`` (seconds since the epoch; default: the
        current time): what a token from ``convert_token(..., allow_expired=True)`` is
        asked. ``JWT_LEEWAY`` is not added (a token within it is expired, and still
        accepted)."""
        return (time.time() if now is None else now) >= self.exp

    def is_signed(self) -> bool:
        """Whether the token carries a signed compact form (always true for tokens from
        this library; kept for Flask_PyJWT 1.x compatibility)."""
        return bool(self.signed)


@dataclass(frozen=True, kw_only=True)
class AuthToken(_TokenBase):
    """An auth (access) token: what ``@require_token()`` accepts.

    Attributes:
        scope: the ``scope`` claim (a mapping such as ``{"admin": True}``, an OAuth
            space-separated string, ...), or ``None`` when the token has none.
        fresh_until: until when the token is fresh (its ``fresh`` claim, seconds since
            the epoch), or ``None`` for a token that was never fresh: one issued with
            ``auth_token(..., fresh=...)`` right after the user proved who they are, as
            ``require_token(fresh=True)`` requires.
    """

    token_type: ClassVar[Literal[TokenType.AUTH]] = TokenType.AUTH
    scope: JSONValue = None
    fresh_until: int | None = None

    def is_fresh(self, now: float | None = None) -> bool:
        """Whether the token is fresh at ``now`` (seconds since the epoch; default: the
        current time). ``require_token(fresh=True)`` also allows ``JWT_LEEWAY``."""
        if self.fresh_until is None:
            return False
        return (time.time() if now is None else now) < self.fresh_until


@dataclass(frozen=True, kw_only=True)
class RefreshToken(_TokenBase):
    """A refresh token: what ``@require_token("refresh")`` accepts.

    Attributes:
        rid: a random refresh id, distinct for every refresh token (for revocation lists).
    """

    token_type: ClassVar[Literal[TokenType.REFRESH]] = TokenType.REFRESH
    rid: str


Token: TypeAlias = Union[AuthToken, RefreshToken]
"""Either kind of token."""

_MAX_SAFE_INTEGER: Final = 2**53 - 1


def _fresh_until(claims: JSONObject) -> int | None:
    if "fresh" not in claims:
        return None
    value = claims["fresh"]
    # bool is an int subclass: refuse it explicitly (true is not a time).
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_SAFE_INTEGER:
        raise ClaimInvalidError(
            "fresh", "The token's fresh claim must be a whole number of seconds since the epoch."
        )
    return value


def _session_id(claims: JSONObject) -> SessionId | None:
    if "sid" not in claims:
        return None
    sid = claims["sid"]
    if not isinstance(sid, str) or not sid:
        raise ClaimInvalidError("sid", "The token's sid claim must be a non-empty string.")
    return SessionId(sid)


# make_token's dict becomes the token's attributes (tests check that it holds every field
# and that the result equals the constructor's).
_build_auth: Final = dict_builder(AuthToken)
_build_refresh: Final = dict_builder(RefreshToken)


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
    legacy: bool = False,
    provider: str = "self",
) -> Token:
    """Build the token value of ``kind``; its ``scope`` or ``rid`` is read from ``claims``.

    The one place both issuing and verifying turn checked claims into a token.

    Raises:
        ClaimInvalidError: a refresh token without a non-empty string ``rid``, a ``sid``
            that is not a non-empty string, or an auth token whose ``fresh`` claim is not
            a time.
    """
    fields: dict[str, object] = {
        "sub": sub, "iss": iss, "iat": iat, "exp": exp, "jti": jti, "aud": aud,
        "signed": signed, "alg": alg, "header": header, "claims": claims,
        "sid": _session_id(claims), "legacy": legacy, "provider": provider,
    }  # fmt: skip
    if kind is AUTH:
        fields["scope"] = claims.get("scope")
        fields["fresh_until"] = _fresh_until(claims)
        return _build_auth(fields)
    rid = claims.get("rid")
    if not isinstance(rid, str) or not rid:
        raise ClaimInvalidError("rid", "The token's rid claim must be a non-empty string.")
    fields["rid"] = rid
    return _build_refresh(fields)
