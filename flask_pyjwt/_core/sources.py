"""Token sources: the app's own tokens ("self") and each identity provider's, each
verified with its own keys, rules and verified-token cache.

A :class:`SourceVerifier` is what one source needs to check a token completely: its
verifier (keys and algorithm allow-list), its :class:`~.claims.ClaimPolicy` (issuer,
audience or its substitute, ``typ`` rules, leeway) and its
:class:`~.verify_cache.VerifiedTokenCache` stamped with its own key generation, so that
one provider's key refresh drops only that provider's verdicts, and a token string, which
belongs to one source only, is never looked up in another's cache.
:func:`select_source` chooses the source of a token by its (unverified) ``iss``. Pure:
no Flask, no I/O.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .algorithms import AuthType
from .claims import ClaimPolicy, check_validity_window, validate_claims, wrong_kind_message
from .errors import ClaimInvalidError, TokenExpiredError, TokenTypeInvalidError
from .identity_provider import IdentityProvider, issuer_rule
from .issuers import IssuerRule, rules_overlap
from .jws import DEFAULT_MAX_TOKEN_LENGTH, decode_compact, peek_claims
from .policy import Settings
from .signing import CacheableVerifier, JWSHeader, Verifier
from .tokens import Token, TokenType
from .verify_cache import VerifiedTokenCache


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One configured token source, as other parts of the library list them.

    Attributes:
        name: ``"self"``, ``"default"`` (``JWT_JWKS_URL``) or a provider's name.
        issuers: the ``iss`` values it accepts (templates with their ``{tid}``).
        header: the request header its tokens may also arrive in, bare.
    """

    name: str
    issuers: tuple[str, ...]
    header: str | None = None


class SourceVerifier:
    """Verifies the tokens of one source completely, reusing verified ones.

    Args:
        info: the source's name, issuers and header.
        policy: what its tokens' claims must say.
        verifier: checks signatures; its ``algorithms`` is the source's allow-list.
        rule: how a token's ``iss`` is matched to this source.
        clock: seconds since the epoch.
        max_length: ``JWT_MAX_TOKEN_LENGTH``.
        cache_size: ``JWT_VERIFY_CACHE_SIZE`` (``0``: no cache).
    """

    __slots__ = (
        "_cache",
        "_clock",
        "_headers",
        "_key_generation",
        "_max_length",
        "_policy",
        "_verifier",
        "info",
        "rule",
    )

    def __init__(
        self,
        info: SourceInfo,
        policy: ClaimPolicy,
        verifier: Verifier,
        *,
        rule: IssuerRule,
        clock: Callable[[], float] = time.time,
        max_length: int = DEFAULT_MAX_TOKEN_LENGTH,
        cache_size: int = 0,
    ) -> None:
        self.info = info
        self.rule = rule
        self._policy = policy
        self._verifier = verifier
        self._clock = clock
        self._max_length = max_length
        # Verified tokens, reused while the verifier's keys stay the same: only for a
        # verifier that says when they change (a custom one must opt in).
        self._key_generation: Callable[[], int] | None = None
        self._cache: VerifiedTokenCache | None = None
        if cache_size and isinstance(verifier, CacheableVerifier):
            self._key_generation = verifier.key_generation
            self._cache = VerifiedTokenCache(cache_size)
        # The parsed headers of validly signed tokens, by their base64url segment.
        self._headers: dict[bytes, JWSHeader] = {}

    @property
    def name(self) -> str:
        """The source's name."""
        return self.info.name

    @property
    def cache(self) -> VerifiedTokenCache | None:
        """The source's verified-token cache, if any."""
        return self._cache

    def replace_cache(self, make: Callable[[VerifiedTokenCache], VerifiedTokenCache]) -> None:
        """Put ``make(cache)`` in place of the source's cache, if it has one: before any
        token is verified (an instrumented cache that counts its lookups)."""
        if self._cache is not None:
            self._cache = make(self._cache)

    @property
    def verifier(self) -> Verifier:
        """What checks the source's signatures."""
        return self._verifier

    @property
    def identity_claim(self) -> str:
        """The claim that names the user of the source's tokens."""
        return self._policy.identity_claim

    @property
    def leeway(self) -> int:
        """Seconds of clock skew tolerated on the source's tokens."""
        return self._policy.leeway

    def decode(self, token: str, expected: TokenType | None) -> Token:
        """Verify ``token`` completely (see :meth:`~.codec.TokenCodec.decode`)."""
        cache = self._cache
        if cache is None or self._key_generation is None:
            return self.verify(token, expected)
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
            check_validity_window(exp, not_before, self._clock(), self._policy.leeway)
        except TokenExpiredError:
            cache.discard(token)
            raise
        return verified

    def verify(self, token: str, expected: TokenType | None, *, expired_ok: bool = False) -> Token:
        """Verify ``token`` in full, without the cache."""
        header, claims = decode_compact(
            token, self._verifier, max_length=self._max_length, headers=self._headers
        )
        return validate_claims(
            header, claims, token, self._policy, now=self._clock(), expected=expected,
            expired_ok=expired_ok,
        )  # fmt: skip


def select_source(
    token: str, sources: Sequence[SourceVerifier], *, max_length: int
) -> SourceVerifier:
    """The source whose issuer rule matches ``token``'s unverified ``iss``.

    At most one can match (``init_app`` refuses overlapping issuers).

    Raises:
        TokenMalformedError, TokenTooLargeError: the token cannot be read at all.
        ClaimInvalidError: its ``iss`` matches no configured source (401).
    """
    claims = peek_claims(token, max_length=max_length)
    iss = claims.get("iss")
    if isinstance(iss, str):
        for source in sources:
            if source.rule.matches(iss, claims):
                return source
    raise ClaimInvalidError("iss", "The token was not issued by an issuer this server accepts.")


def first_overlap(rules: Sequence[tuple[str, IssuerRule]]) -> tuple[str, str, str] | None:
    """Two sources whose issuers could match one token, and such an issuer, or ``None``."""
    for index, (name, rule) in enumerate(rules):
        for other_name, other in rules[index + 1 :]:
            shared = rules_overlap(rule, other)
            if shared is not None:
                return name, other_name, shared
    return None


def provider_source(
    provider: IdentityProvider,
    verifier: Verifier,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.time,
) -> SourceVerifier:
    """The source of ``provider``'s tokens, checked with ``verifier`` (its keys) and the
    rules it documents; ``settings`` gives the app-wide limits (token length, cache size,
    ``JWT_LEEWAY`` unless the provider sets its own)."""
    rule = issuer_rule(provider)
    policy = ClaimPolicy(
        issuer=provider.issuers[0],
        audience=provider.audience,
        leeway=settings.leeway if provider.leeway is None else provider.leeway,
        identity_provider=True,
        require_at_jwt=provider.require_at_jwt,
        provider=provider.name,
        issuer_rule=rule,
        client_id=provider.client_id,
        token_use=provider.token_use,
        identity_claim=provider.identity_claim or settings.identity_claim,
    )
    return SourceVerifier(
        SourceInfo(provider.name, provider.issuers, provider.header),
        policy,
        verifier,
        rule=rule,
        clock=clock,
        max_length=settings.max_token_length,
        cache_size=settings.verify_cache_size,
    )


def provider_algorithms(provider: IdentityProvider) -> tuple[AuthType, ...]:
    """``provider.algorithms`` as :class:`AuthType` members (checked when it was made)."""
    return tuple(AuthType(name) for name in provider.algorithms)
