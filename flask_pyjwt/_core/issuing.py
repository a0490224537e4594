"""Issuing tokens for one configuration: the per-token options, the claims and header
the library sets, and :class:`Issuer`, which signs (the issuing half of
:class:`~flask_pyjwt._core.codec.TokenCodec`). No Flask here.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final, cast

from .b64 import b64url_encode
from .errors import (
    MissingSignerError,
)
from .policy import Settings, revocation_horizon, whole_seconds
from .signing import Signer
from .speedups import HeaderSegment, HeaderSegments, write_claims
from .strict_json import (
    EMPTY_OBJECT,
    FrozenJSONObject,
    JSONInput,
    JSONValue,
    dumps_compact,
    freeze,
    freeze_object,
)
from .tokens import (
    AUTH,
    KIND_NAMES,
    REFRESH,
    AuthToken,
    RefreshToken,
    Token,
    TokenType,
    make_token,
)

RESERVED_CLAIMS: Final[frozenset[str]] = frozenset(
    {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "scope", "rid", "sid", "fresh"}
    | {"cnf"}  # RFC 9449 6: only dpop_jkt= binds a token to a key
)
"""Claims the library sets itself; custom claims may not name them."""

RESERVED_HEADER_FIELDS: Final[frozenset[str]] = frozenset({"alg", "typ", "kid", "crit"})
"""Header fields the library sets itself (or, for ``crit``, must never send: the library
understands no extension, so it would refuse its own token); ``headers=`` may not name them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IssueOptions:
    """Options for one token being issued, already checked (see :func:`issue_options`).

    Attributes:
        max_age: seconds the token is valid, instead of the kind's configured max age.
        audience: the ``aud`` of the token, instead of ``JWT_AUDIENCE``.
        headers: extra protected header fields.
        session: the session (``sid``) the token belongs to; a refresh token without
            one starts a new session.
        fresh: ``True`` for a token fresh for its whole life, a number of seconds for one
            fresh that long after it is issued (never beyond its expiry), ``False`` for
            a token that is not fresh. Auth tokens only.
        dpop_jkt: the RFC 7638 thumbprint of the client's DPoP key the token is bound
            to (``cnf.jkt``, RFC 9449 6), if any.
        jti: the token's ``jti``, instead of a new random one: only for the library's own
            re-issue of a successor within ``JWT_ROTATION_GRACE`` (never a user's input).
    """

    max_age: int | None = None
    audience: str | tuple[str, ...] | None = None
    headers: FrozenJSONObject = field(default_factory=FrozenJSONObject)
    session: str | None = None
    fresh: bool | int = False
    dpop_jkt: str | None = None
    jti: str | None = None


DEFAULT_ISSUE_OPTIONS: Final = IssueOptions()
"""No per-token option: the configuration decides."""


def issue_options(
    *,
    max_age: object = None,
    audience: object = None,
    headers: object = None,
    session: object = None,
    fresh: object = False,
    dpop_jkt: object = None,
) -> IssueOptions:
    """Check the per-token options of ``auth_token``/``refresh_token``.

    Raises:
        TypeError: an option of the wrong type, or a header value that is not JSON.
        ValueError: a lifetime (or freshness) under one second or not in whole seconds,
            an empty audience or session id, or a header field the library sets itself.
    """
    if (
        max_age is None
        and audience is None
        and headers is None
        and session is None
        and fresh is False
        and dpop_jkt is None
    ):
        return DEFAULT_ISSUE_OPTIONS
    return IssueOptions(
        max_age=None if max_age is None else _lifetime(max_age),
        audience=None if audience is None else _audience(audience),
        headers=EMPTY_OBJECT if headers is None else _header_fields(headers),
        session=None if session is None else _session(session),
        fresh=fresh if isinstance(fresh, bool) else _lifetime(fresh, name="fresh"),
        dpop_jkt=None if dpop_jkt is None else _thumbprint(dpop_jkt),
    )


_THUMBPRINT: Final = re.compile(r"[A-Za-z0-9_-]{43}")


def _thumbprint(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(
            f"dpop_jkt must be a str (a DPoP key's thumbprint, dpop_proof().jkt), "
            f"got {type(value).__name__}"
        )
    if not _THUMBPRINT.fullmatch(value):
        raise ValueError(
            "dpop_jkt must be an RFC 7638 SHA-256 thumbprint: 43 base64url characters "
            "(dpop_proof().jkt)"
        )
    return value


def _session(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(
            f"session must be a refresh token or its SessionId, got {type(value).__name__}"
        )
    if not value:
        raise ValueError("session is an empty string; give the refresh token's sid")
    freeze(value, path="session")
    return value


def _lifetime(value: object, *, name: str = "max_age") -> int:
    if isinstance(value, timedelta):
        seconds = whole_seconds(value)
        if seconds is None:
            raise ValueError(f"{name} must be a whole number of seconds, got {value!r}")
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        also = ", True or False" if name == "fresh" else ""
        raise TypeError(
            f"{name} must be an int of seconds or a datetime.timedelta{also}, "
            f"got {type(value).__name__}"
        )
    if seconds < 1:
        raise ValueError(f"{name} must be at least 1 second, got {seconds}")
    return seconds


def _audience(value: object) -> str | tuple[str, ...]:
    if isinstance(value, str):
        if not value:
            raise ValueError("audience must be a non-empty str or a non-empty sequence of them")
        freeze(value, path="audience")
        return value
    if not isinstance(value, Sequence) or isinstance(value, (bytes, bytearray)):
        raise TypeError(f"audience must be a str or a sequence of str, got {type(value).__name__}")
    items = tuple(cast("Sequence[object]", value))
    if not items:
        raise ValueError("audience is an empty sequence; give at least one audience")
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"audience[{index}] must be a str, got {type(item).__name__}")
        if not item:
            raise ValueError(f"audience[{index}] is an empty string")
        freeze(item, path=f"audience[{index}]")
    return cast("tuple[str, ...]", items)


def _header_fields(value: object) -> FrozenJSONObject:
    if not isinstance(value, Mapping):
        raise TypeError(f"headers must be a mapping of header fields, got {type(value).__name__}")
    fields = freeze_object(cast("Mapping[str, object]", value), path="headers")
    reserved = sorted(RESERVED_HEADER_FIELDS.intersection(fields))
    if reserved:
        raise ValueError(
            f"header field(s) {', '.join(reserved)} are set by flask_pyjwt and cannot be "
            f"passed in headers= (reserved: {', '.join(sorted(RESERVED_HEADER_FIELDS))})"
        )
    return fields


def merge_claims(
    claims: object, keyword_claims: Mapping[str, JSONInput]
) -> Mapping[str, JSONInput]:
    """The custom claims of ``claims=`` and of the keyword arguments, as one mapping.

    ``claims=`` carries the claims whose names are keyword options of the issuing
    methods (``max_age``, ``audience``, ...); a name in both places is an error.

    Raises:
        TypeError: ``claims`` is not a mapping.
        ValueError: a claim is given both ways.
    """
    if claims is None:
        return keyword_claims
    if not isinstance(claims, Mapping):
        raise TypeError(f"claims must be a mapping of claims, got {type(claims).__name__}")
    mapping = cast("Mapping[str, JSONInput]", claims)
    twice = sorted(keyword_claims.keys() & mapping.keys())
    if twice:
        raise ValueError(
            f"claim(s) {', '.join(twice)} are given both in claims= and as keyword "
            "arguments; give each claim once"
        )
    return {**mapping, **keyword_claims}


class Issuer:
    """Signs the tokens of one app configuration: the issuing half of
    :class:`~flask_pyjwt._core.codec.TokenCodec`.

    Args:
        settings: the parsed configuration.
        signer: signs issued tokens; ``None`` makes the codec verify-only.
        clock: returns the current time in seconds (tests pass a fixed clock).
    """

    __slots__ = ("_clock", "_header_segments", "_signer", "settings")

    def __init__(
        self, settings: Settings, signer: Signer | None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self._signer = signer
        self._clock = clock
        # The header segment of issued tokens, by media type, algorithm and key id.
        self._header_segments = HeaderSegments(write_header)

    @property
    def can_sign(self) -> bool:
        """False in verify-only mode."""
        return self._signer is not None

    def _require_signer(self) -> Signer:
        if self._signer is None:
            raise MissingSignerError(
                "this app is verify-only (JWT_PUBLICKEY without JWT_SECRET, or JWT_JWKS_URL) "
                "and cannot issue tokens; configure JWT_SECRET with the private key to issue them"
            )
        return self._signer

    def _issue(
        self,
        kind: TokenType,
        sub: str,
        extra: Mapping[str, JSONValue],
        max_age: int,
        options: IssueOptions,
    ) -> Token:
        signer = self._require_signer()
        check_subject(sub)
        settings = self.settings
        if options.max_age is not None:
            max_age = options.max_age
            horizon = revocation_horizon(settings, issues=True)
            if max_age > horizon:
                raise ValueError(
                    f"max_age={max_age} is longer than the longest configured lifetime "
                    f"({horizon} s, JWT_AUTHMAXAGE, JWT_REFRESHMAXAGE or "
                    "JWT_REVOCATION_HORIZON); revocation is kept only that long, so a "
                    "longer-lived token could outlive its revocation: raise the configured "
                    "lifetime or JWT_REVOCATION_HORIZON instead"
                )
        audience = settings.audience if options.audience is None else options.audience
        name, media_type = KIND_NAMES[kind]
        now = int(self._clock())
        exp = now + max_age
        jti = secrets.token_hex(16) if options.jti is None else options.jti  # 128 random bits
        claims: dict[str, JSONValue] = {
            "iss": settings.issuer,
            "sub": sub,
            "iat": now,
            "exp": exp,
            "jti": jti,
            "type": name,
        }
        # The claims after the six above, in the order they are written.
        rest: dict[str, JSONValue] = {}
        if audience is not None:
            rest["aud"] = audience
        if options.fresh is not False:
            # True: fresh for the token's whole life; a number: that long, at most as long.
            fresh_for = max_age if options.fresh is True else min(options.fresh, max_age)
            rest["fresh"] = now + fresh_for
        rest.update(extra)
        session = options.session
        if session is None and kind is REFRESH:
            session = secrets.token_urlsafe(16)  # a refresh token starts a session
        if session is not None:
            rest["sid"] = session
        if options.dpop_jkt is not None:
            rest["cnf"] = FrozenJSONObject({"jkt": options.dpop_jkt})
        claims.update(rest)
        frozen_claims = FrozenJSONObject(claims)
        payload = write_claims(settings.issuer, sub, now, exp, jti, name, rest)
        alg = signer.algorithm
        if options.headers:
            frozen_header, header_segment = write_header(
                media_type, alg, signer.key_id, options.headers
            )
        else:
            frozen_header, header_segment = self._header_segments.get(
                media_type, alg, signer.key_id
            )
        signing_input = f"{header_segment}.{b64url_encode(payload.encode())}"
        signature = signer.sign(signing_input.encode("ascii"))
        signed = f"{signing_input}.{b64url_encode(signature)}"
        if len(signed) > settings.max_token_length:
            raise ValueError(
                f"the {name} token would be {len(signed)} characters long, longer than "
                f"JWT_MAX_TOKEN_LENGTH ({settings.max_token_length}), so this app would refuse "
                "it; put fewer or shorter claims in it, or raise JWT_MAX_TOKEN_LENGTH"
            )
        return make_token(
            kind, sub=sub, iss=settings.issuer, iat=now, exp=exp, jti=jti, aud=audience,
            signed=signed, alg=alg, header=frozen_header, claims=frozen_claims,
        )  # fmt: skip

    def issue_auth(
        self,
        sub: str,
        scope: JSONInput = None,
        claims: Mapping[str, JSONInput] | None = None,
        options: IssueOptions = DEFAULT_ISSUE_OPTIONS,
    ) -> AuthToken:
        """Sign a new auth token.

        Raises:
            MissingSignerError: verify-only configuration.
            ValueError: ``sub`` is empty, ``claims`` names a claim the library sets
                itself, or the token would be longer than ``JWT_MAX_TOKEN_LENGTH``.
            TypeError: ``sub`` is not a string, or it or a claim value is not JSON.
        """
        extra = self._custom_claims(claims)
        frozen_scope = freeze(scope, path="scope", level=2)  # a member of the claims
        if frozen_scope is not None:
            extra["scope"] = frozen_scope
        token = self._issue(AUTH, sub, extra, self.settings.auth_max_age, options)
        assert isinstance(token, AuthToken)
        return token

    def issue_refresh(
        self,
        sub: str,
        claims: Mapping[str, JSONInput] | None = None,
        options: IssueOptions = DEFAULT_ISSUE_OPTIONS,
    ) -> RefreshToken:
        """Sign a new refresh token with a fresh random ``rid``.

        Raises:
            MissingSignerError: verify-only configuration.
            ValueError: ``sub`` is empty, ``claims`` names a claim the library sets
                itself, or the token would be longer than ``JWT_MAX_TOKEN_LENGTH``.
            TypeError: ``sub`` is not a string, or it or a claim value is not JSON.
        """
        extra = self._custom_claims(claims)
        extra["rid"] = secrets.token_urlsafe(16)
        token = self._issue(REFRESH, sub, extra, self.settings.refresh_max_age, options)
        assert isinstance(token, RefreshToken)
        return token

    @staticmethod
    def _custom_claims(claims: Mapping[str, JSONInput] | None) -> dict[str, JSONValue]:
        if not claims:
            return {}
        reserved = sorted(RESERVED_CLAIMS.intersection(claims))
        if reserved:
            raise ValueError(
                f"claim(s) {', '.join(reserved)} are set by flask_pyjwt and cannot be passed "
                f"as custom claims (reserved: {', '.join(sorted(RESERVED_CLAIMS))})"
            )
        return dict(freeze_object(claims, path="claims"))

    def now(self) -> float:
        """The current time of this codec's clock, in seconds since the epoch."""
        return self._clock()


def write_header(
    typ: str, alg: str, kid: str | None, extra: FrozenJSONObject = EMPTY_OBJECT
) -> HeaderSegment:
    """An issued token's header, with ``extra`` fields, and its base64url segment."""
    header: dict[str, JSONValue] = {"alg": alg, "typ": typ}
    if kid is not None:
        header["kid"] = kid
    header.update(extra)
    frozen = FrozenJSONObject(header)
    return frozen, b64url_encode(dumps_compact(frozen))


def check_subject(sub: object) -> None:
    """Raise unless ``sub`` is a non-empty ``str`` that UTF-8 JSON can carry.

    Callers without a type checker may pass anything.
    """
    if not isinstance(sub, str):
        raise TypeError(f"sub must be a non-empty str, got {type(sub).__name__}")
    if not sub:
        raise ValueError("sub is an empty string; it must be a non-empty str (the user's id)")
    freeze(sub, path="sub")  # a lone surrogate is a TypeError, as in any claim
