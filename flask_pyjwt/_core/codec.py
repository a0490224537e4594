"""Issuing and reading tokens for one configuration: the pure core of the library.

:class:`TokenCodec` is what the Flask layer calls: an :class:`~.issuing.Issuer` that also
verifies (with the verified-token cache). It owns nothing Flask-specific, so it can be
tested and benchmarked without an app.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .claims import ClaimPolicy, check_validity_window, validate_claims, wrong_kind_message
from .errors import (
    InvalidTokenError,
    TokenExpiredError,
    TokenMalformedError,
    TokenTypeInvalidError,
)
from .issuing import Issuer
from .jws import decode_compact
from .policy import Settings
from .signing import CacheableVerifier, JWSHeader, Signer, Verifier
from .tokens import AuthToken, Token, TokenType
from .verify_cache import VerifiedTokenCache


class TokenCodec(Issuer):
    """Issues and verifies the tokens of one app configuration.

    Args:
        settings: the parsed configuration.
        signer: signs issued tokens; ``None`` makes the codec verify-only.
        verifier: checks signatures; its ``algorithms`` is the allow-list.
        clock: returns the current time in seconds (tests pass a fixed clock).
    """

    __slots__ = (
        "_cache",
        "_headers",
        "_key_generation",
        "_leeway",
        "_max_length",
        "_policy",
        "_verifier",
    )

    def __init__(
        self,
        settings: Settings,
        signer: Signer | None,
        verifier: Verifier,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(settings, signer, clock=clock)
        self._policy = ClaimPolicy(
            issuer=settings.issuer,
            audience=settings.audience,
            leeway=settings.leeway,
            accept_legacy=settings.accept_legacy_tokens,
            identity_provider=settings.jwks_url is not None,
            require_at_jwt=settings.require_at_jwt,
        )
        self._verifier = verifier
        self._leeway = settings.leeway
        self._max_length = settings.max_token_length
        # Verified tokens, reused while the verifier's keys stay the same: only for a
        # verifier that says when they change (a custom one must opt in).
        self._key_generation: Callable[[], int] | None = None
        self._cache: VerifiedTokenCache | None = None
        if settings.verify_cache_size and isinstance(verifier, CacheableVerifier):
            self._key_generation = verifier.key_generation
            self._cache = VerifiedTokenCache(settings.verify_cache_size)
        # The parsed headers of validly signed tokens, by their base64url segment (all the
        # tokens of one key share one).
        self._headers: dict[bytes, JWSHeader] = {}

    @property
    def cache(self) -> VerifiedTokenCache | None:
        """The verified-token cache (``None``: ``JWT_VERIFY_CACHE_SIZE`` is ``0``, or
        the custom verifier does not say when its keys change)."""
        return self._cache

    @property
    def verifier(self) -> Verifier:
        """What checks signatures (the configured keys, or the custom verifier)."""
        return self._verifier

    def is_fresh(self, token: AuthToken) -> bool:
        """Whether ``token`` is fresh now, allowing ``JWT_LEEWAY`` of clock skew."""
        return token.is_fresh(self._clock() - self.settings.leeway)

    def decode(self, token: object, expected: TokenType | None = None) -> Token:
        """Verify ``token`` completely and return it as a typed value.

        Order: size, structure, header, algorithm allow-list, signature, payload, kind,
        issuer, times, audience. A token that passed all of them before under the same
        keys (see :mod:`~flask_pyjwt._core.verify_cache`) is not parsed and
        signature-checked again: its kind and times are checked against ``expected``
        and the clock, in that order, as the full check does.

        Raises:
            InvalidTokenError: a subclass saying why the token is refused.
        """
        if not isinstance(token, str):
            raise TokenMalformedError("The token is not a string.")
        cache = self._cache
        if cache is None or self._key_generation is None:
            return self._verify(token, expected)
        generation = self._key_generation()  # read before verifying: see admit()
        entry = cache.get(token, generation)
        if entry is None:
            header, claims = decode_compact(
                token, self._verifier, max_length=self._max_length, headers=self._headers
            )
            verified = validate_claims(
                header, claims, token, self._policy, now=self._clock(), expected=expected
            )
            cache.admit(token, verified, generation)
            return verified
        verified, exp, not_before, _ = entry
        if expected is not None and verified.token_type is not expected:
            raise TokenTypeInvalidError(wrong_kind_message(expected, verified.token_type))
        try:
            check_validity_window(exp, not_before, self._clock(), self._leeway)
        except TokenExpiredError:
            cache.discard(token)
            raise
        return verified

    def decode_expired_ok(self, token: object, expected: TokenType | None = None) -> Token:
        """:meth:`decode`, except that an expired token passes: revoking one still ends
        its session, whose rotated successors may live on; ``convert_token(...,
        allow_expired=True)`` reads one on purpose.

        Raises:
            InvalidTokenError: a subclass saying why the token is refused.
        """
        try:
            return self.decode(token, expected)
        except TokenExpiredError:
            assert isinstance(token, str)  # decode refuses anything else before expiry
        return self._verify(token, expected, expired_ok=True)

    def expired_token(
        self, error: InvalidTokenError, token: str, expected: TokenType | None
    ) -> Token | None:
        """The token :meth:`decode` refused with ``error``, verified but for its expiry,
        when ``error`` is a :class:`TokenExpiredError` and the token passes every other
        check; else ``None``: nothing of a token refused before its signature verified.

        A second verification, on the refusal path of expired tokens only.
        """
        if not isinstance(error, TokenExpiredError):
            return None
        try:
            return self._verify(token, expected, expired_ok=True)
        except InvalidTokenError:
            return None

    def _verify(self, token: str, expected: TokenType | None, *, expired_ok: bool = False) -> Token:
        header, claims = decode_compact(
            token, self._verifier, max_length=self._max_length, headers=self._headers
        )
        return validate_claims(
            header, claims, token, self._policy, now=self._clock(), expected=expected,
            expired_ok=expired_ok,
        )  # fmt: skip
