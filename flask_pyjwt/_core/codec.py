"""Issuing and reading tokens for one configuration: the pure core of the library.

:class:`TokenCodec` is what the Flask layer calls. It owns nothing Flask-specific, so
it can be tested and benchmarked without an app.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Final

from .claims import ClaimPolicy, validate_claims
from .config import Settings
from .errors import MalformedTokenError, MissingSignerError
from .jws import decode_compact, encode_compact
from .signing import Signer, Verifier
from .strict_json import FrozenJSONObject, JSONInput, JSONValue, freeze, freeze_object
from .tokens import AuthToken, RefreshToken, Token, TokenType, make_token

RESERVED_CLAIMS: Final[frozenset[str]] = frozenset(
    {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "type", "scope", "rid"}
)
"""Claims the library sets itself; ``**claims`` may not name them."""


class TokenCodec:
    """Issues and verifies the tokens of one app configuration.

    Args:
        settings: the parsed configuration.
        signer: signs issued tokens; ``None`` makes the codec verify-only.
        verifier: checks signatures; its ``algorithms`` is the allow-list.
        clock: returns the current time in seconds (tests pass a fixed clock).
    """

    __slots__ = ("_clock", "_policy", "_signer", "_verifier", "settings")

    def __init__(
        self,
        settings: Settings,
        signer: Signer | None,
        verifier: Verifier,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._policy = ClaimPolicy(
            issuer=settings.issuer,
            audience=settings.audience,
            leeway=settings.leeway,
            accept_legacy=settings.accept_legacy_tokens,
        )
        self._signer = signer
        self._verifier = verifier
        self._clock = clock

    @property
    def can_sign(self) -> bool:
        """False in verify-only mode."""
        return self._signer is not None

    def _require_signer(self) -> Signer:
        if self._signer is None:
            raise MissingSignerError(
                "this app is verify-only (JWT_PUBLICKEY without JWT_SECRET) and cannot issue "
                "tokens; configure JWT_SECRET with the private key to issue them"
            )
        return self._signer

    def _issue(
        self, kind: TokenType, sub: str, extra: Mapping[str, JSONValue], max_age: int
    ) -> Token:
        signer = self._require_signer()
        _check_subject(sub)
        settings = self.settings
        now = int(self._clock())
        jti = secrets.token_hex(16)  # 128 random bits; a quarter of uuid4()'s cost
        claims: dict[str, JSONValue] = {
            "iss": settings.issuer,
            "sub": sub,
            "iat": now,
            "exp": now + max_age,
            "jti": jti,
            "type": kind.value,
        }
        if settings.audience is not None:
            claims["aud"] = settings.audience
        claims.update(extra)
        alg = signer.algorithm
        header: dict[str, JSONValue] = {"alg": alg, "typ": kind.media_type}
        if signer.key_id is not None:
            header["kid"] = signer.key_id
        frozen_header = FrozenJSONObject(header)
        frozen_claims = FrozenJSONObject(claims)
        signed = encode_compact(frozen_header, frozen_claims, signer)
        if len(signed) > settings.max_token_length:
            raise ValueError(
                f"the {kind.value} token would be {len(signed)} characters long, longer than "
                f"JWT_MAXTOKENLENGTH ({settings.max_token_length}), so this app would refuse "
                "it; put fewer or shorter claims in it, or raise JWT_MAXTOKENLENGTH"
            )
        return make_token(
            kind, sub=sub, iss=settings.issuer, iat=now, exp=now + max_age, jti=jti,
            aud=settings.audience, signed=signed, alg=alg, header=frozen_header,
            claims=frozen_claims,
        )  # fmt: skip

    def issue_auth(
        self, sub: str, scope: JSONInput = None, claims: Mapping[str, JSONInput] | None = None
    ) -> AuthToken:
        """Sign a new auth token.

        Raises:
            MissingSignerError: verify-only configuration.
            ValueError: ``sub`` is empty, or ``claims`` names a claim the library sets itself.
            TypeError: ``sub`` is not a string, or it or a claim value is not JSON.
        """
        extra = self._custom_claims(claims)
        frozen_scope = freeze(scope, path="scope")
        if frozen_scope is not None:
            extra["scope"] = frozen_scope
        token = self._issue(TokenType.AUTH, sub, extra, self.settings.auth_max_age)
        assert isinstance(token, AuthToken)
        return token

    def issue_refresh(
        self, sub: str, claims: Mapping[str, JSONInput] | None = None
    ) -> RefreshToken:
        """Sign a new refresh token with a fresh random ``rid``.

        Raises:
            MissingSignerError: verify-only configuration.
            ValueError: ``sub`` is empty, or ``claims`` names a claim the library sets itself.
            TypeError: ``sub`` is not a string, or it or a claim value is not JSON.
        """
        extra = self._custom_claims(claims)
        extra["rid"] = secrets.token_urlsafe(16)
        token = self._issue(TokenType.REFRESH, sub, extra, self.settings.refresh_max_age)
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

    def decode(self, token: object, expected: TokenType | None = None) -> Token:
        """Verify ``token`` completely and return it as a typed value.

        Order: size, structure, header, algorithm allow-list, signature, payload, kind,
        issuer, times, audience.

        Raises:
            InvalidTokenError: a subclass saying why the token is refused.
        """
        if not isinstance(token, str):
            raise MalformedTokenError("The token is not a string.")
        header, claims = decode_compact(
            token, self._verifier, max_length=self.settings.max_token_length
        )
        return validate_claims(
            header, claims, token, self._policy, now=self._clock(), expected=expected
        )


def _check_subject(sub: object) -> None:
    """Raise unless ``sub`` is a non-empty ``str`` that UTF-8 JSON can carry.

    Callers without a type checker may pass anything.
    """
    if not isinstance(sub, str):
        raise TypeError(f"sub must be a non-empty str, got {type(sub).__name__}")
    if not sub:
        raise ValueError("sub is an empty string; it must be a non-empty str (the user's id)")
    freeze(sub, path="sub")  # a lone surrogate is a TypeError, as in any claim
