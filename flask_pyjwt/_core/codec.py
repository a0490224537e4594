"""Issuing and reading tokens for one configuration: the pure core of the library.

:class:`TokenCodec` is what the Flask layer calls: an :class:`~.issuing.Issuer` that also
verifies, for every token source the app accepts (its own tokens, identity providers),
each with its own keys, rules and verified-token cache (:mod:`~.sources`). It owns
nothing Flask-specific, so it can be tested and benchmarked without an app.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from .claims import ClaimPolicy
from .errors import InvalidTokenError, TokenExpiredError, TokenMalformedError
from .identity_provider import DEFAULT_SOURCE, SELF
from .issuers import IssuerRule
from .issuing import Issuer
from .policy import Settings
from .signing import Signer, Verifier
from .sources import SourceInfo, SourceVerifier, select_source
from .tokens import AuthToken, Token, TokenType
from .verify_cache import VerifiedTokenCache


def own_source(
    settings: Settings, verifier: Verifier, *, clock: Callable[[], float] = time.time
) -> SourceVerifier:
    """The app's own tokens (``"self"``), or with ``JWT_JWKS_URL`` its one provider's
    (``"default"``), as configured by ``JWT_*``."""
    provider = settings.jwks_url is not None
    name = DEFAULT_SOURCE if provider else SELF
    policy = ClaimPolicy(
        issuer=settings.issuer,
        audience=settings.audience,
        leeway=settings.leeway,
        accept_legacy=settings.accept_legacy_tokens,
        identity_provider=provider,
        require_at_jwt=settings.require_at_jwt,
        provider=name,
        identity_claim=settings.identity_claim,
    )
    return SourceVerifier(
        SourceInfo(name, (settings.issuer,)),
        policy,
        verifier,
        rule=IssuerRule(frozenset({settings.issuer})),
        clock=clock,
        max_length=settings.max_token_length,
        cache_size=settings.verify_cache_size,
    )


class TokenCodec(Issuer):
    """Issues and verifies the tokens of one app configuration.

    Args:
        settings: the parsed configuration.
        signer: signs issued tokens; ``None`` makes the codec verify-only.
        verifier: checks the signatures of the app's own tokens; ``None`` when it
            accepts only identity providers' (``providers``).
        clock: returns the current time in seconds (tests pass a fixed clock).
        providers: the identity providers' sources, besides the app's own.
    """

    __slots__ = ("_max_length", "_only", "_own", "_sources", "source_headers", "source_names")

    def __init__(
        self,
        settings: Settings,
        signer: Signer | None,
        verifier: Verifier | None,
        *,
        clock: Callable[[], float] = time.time,
        providers: Sequence[SourceVerifier] = (),
    ) -> None:
        super().__init__(settings, signer, clock=clock)
        self._own = None if verifier is None else own_source(settings, verifier, clock=clock)
        own = () if self._own is None else (self._own,)
        self._sources: tuple[SourceVerifier, ...] = (*own, *providers)
        self._max_length = settings.max_token_length
        # One source: its checks say everything (no iss peek, one call less per token).
        self._only = self._sources[0] if len(self._sources) == 1 else None
        self.source_names = frozenset(source.name for source in self._sources)
        """The names of every source (what ``require_token(providers=...)`` may name)."""
        self.source_headers: tuple[tuple[str, str], ...] = tuple(
            (source.name, source.info.header)
            for source in self._sources
            if source.info.header is not None
        )
        """Each (source, header) pair of a source whose tokens arrive in a header of their
        own (bare), read besides the configured locations."""

    @property
    def cache(self) -> VerifiedTokenCache | None:
        """The verified-token cache of the app's own tokens (``None``: none configured,
        ``JWT_VERIFY_CACHE_SIZE`` is ``0``, or the custom verifier does not say when its
        keys change)."""
        return None if self._own is None else self._own.cache

    @property
    def verifier(self) -> Verifier | None:
        """What checks the app's own signatures (the configured keys, or the custom
        verifier); ``None`` for an app that accepts identity providers' tokens only."""
        return None if self._own is None else self._own.verifier

    @property
    def sources(self) -> tuple[SourceInfo, ...]:
        """Every token source the app accepts, in order: ``"self"`` (or ``"default"``
        for ``JWT_JWKS_URL``) first, then the identity providers."""
        return tuple(source.info for source in self._sources)

    def replace_caches(self, make: Callable[[VerifiedTokenCache], VerifiedTokenCache]) -> None:
        """Put ``make(cache)`` in place of each source's verified-token cache (see
        :meth:`~.sources.SourceVerifier.replace_cache`)."""
        for source in self._sources:
            source.replace_cache(make)

    def source(self, name: str) -> SourceVerifier | None:
        """The source named ``name``, if configured."""
        for source in self._sources:
            if source.name == name:
                return source
        return None

    def identity_claim(self, token: Token) -> str:
        """The claim that names ``token``'s user: its source's (an identity provider's
        ``identity_claim``), else ``JWT_IDENTITY_CLAIM``."""
        source = self.source(token.provider)
        return self.settings.identity_claim if source is None else source.identity_claim

    def is_fresh(self, token: AuthToken) -> bool:
        """Whether ``token`` is fresh now, allowing ``JWT_LEEWAY`` of clock skew."""
        return token.is_fresh(self._clock() - self.settings.leeway)

    def source_of(self, token: str) -> SourceVerifier:
        """The source that verifies ``token``: the one that holds it verified, else the
        one its unverified ``iss`` chooses. :meth:`decode` asks it first; a route asks it
        to refuse another source's token before any of that source's keys are read.

        Raises:
            InvalidTokenError: the token cannot be read, or no source accepts its ``iss``.
        """
        if self._only is not None:
            return self._only
        # A token some source verified and kept is that source's (it matched its iss):
        # found without reading the payload (the peek costs more than the cache hit).
        for source in self._sources:
            cache = source.cache
            if cache is not None and token in cache:
                return source
        return select_source(token, self._sources, max_length=self._max_length)

    def decode(self, token: object, expected: TokenType | None = None) -> Token:
        """Verify ``token`` completely and return it as a typed value.

        With several sources, the token's unverified ``iss`` chooses the source; only
        that source's keys, algorithms and rules then check it. Order: size,
        structure, header, algorithm allow-list, signature, payload, kind, issuer,
        times, audience. A token that passed all of them before under the same keys
        (see :mod:`~flask_pyjwt._core.verify_cache`) is not parsed and
        signature-checked again: its kind and times are checked against ``expected``
        and the clock, in that order, as the full check does.

        Raises:
            InvalidTokenError: a subclass saying why the token is refused.
        """
        if not isinstance(token, str):
            raise TokenMalformedError("The token is not a string.")
        only = self._only
        if only is not None:
            return only.decode(token, expected)
        return self.source_of(token).decode(token, expected)

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
        return self.source_of(token).verify(token, expected, expired_ok=True)

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
            return self.source_of(token).verify(token, expected, expired_ok=True)
        except InvalidTokenError:
            return None
