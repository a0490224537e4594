"""``AuthManager(providers=[...])``: the identity providers, checked once at ``init_app``
against each other and the rest of the configuration. No Flask here.

Each :class:`~flask_pyjwt.IdentityProvider` checked its own fields when it was made;
here: the list itself, unique names, the URLs (``https://``, ``http://`` on loopback
only), pinned keys, and that no two sources (the app's own ``JWT_ISSUER`` included)
could both accept one token's ``iss``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from flask_pyjwt._core.errors import InvalidConfigError
from flask_pyjwt._core.identity_provider import SELF, IdentityProvider, issuer_rule
from flask_pyjwt._core.issuers import IssuerRule
from flask_pyjwt._core.key_signers import KeySetVerifier
from flask_pyjwt._core.key_source import FetchError, parse_key_set
from flask_pyjwt._core.sources import first_overlap, provider_algorithms
from flask_pyjwt._core.strict_json import dumps_compact

from .readers import check_key_url

PROVIDERS_KEY = "providers"
"""How errors name ``AuthManager(providers=...)``."""


def check_providers(
    providers: Sequence[object], *, own_issuer: str | None, jwks_url: str | None
) -> tuple[IdentityProvider, ...]:
    """The providers, checked.

    Args:
        providers: what ``AuthManager(providers=...)`` was given.
        own_issuer: ``JWT_ISSUER`` when the app accepts its own tokens too.
        jwks_url: ``JWT_JWKS_URL``, which cannot be combined with ``providers``.

    Raises:
        InvalidConfigError: not a list of :class:`IdentityProvider`, a name used twice,
            a URL that is not ``https://``, unusable pinned keys, overlapping issuers, or
            ``JWT_JWKS_URL`` set too.
    """
    given: object = providers
    if not isinstance(given, (list, tuple)):
        raise InvalidConfigError(PROVIDERS_KEY, "must be a list of IdentityProvider values")
    checked: list[IdentityProvider] = []
    for provider in cast("Sequence[object]", given):
        if not isinstance(provider, IdentityProvider):
            raise InvalidConfigError(
                PROVIDERS_KEY, f"holds {type(provider).__name__}, not an IdentityProvider"
            )
        if any(provider.name == other.name for other in checked):
            raise InvalidConfigError(
                PROVIDERS_KEY, f"names two providers {provider.name!r}; names must be unique"
            )
        where = f"{PROVIDERS_KEY}[{provider.name!r}]"
        if provider.jwks_url is not None:
            check_key_url(f"{where}.jwks_url", provider.jwks_url)
        if provider.discovery_url is not None:
            check_key_url(f"{where}.discovery_url", provider.discovery_url, "a discovery document")
        checked.append(provider)
    if checked and jwks_url is not None:
        raise InvalidConfigError(
            "JWT_JWKS_URL",
            "is the one-provider shorthand; with providers=[...], give that provider as "
            "an IdentityProvider in the list too and remove JWT_JWKS_URL",
        )
    rules: list[tuple[str, IssuerRule]] = []
    if own_issuer:
        rules.append((SELF, IssuerRule(frozenset({own_issuer}))))
    rules.extend((provider.name, issuer_rule(provider)) for provider in checked)
    overlap = first_overlap(rules)
    if overlap is not None:
        first, second, issuer = overlap
        raise InvalidConfigError(
            PROVIDERS_KEY,
            f"sources {first!r} and {second!r} both accept the issuer {issuer!r}, so a "
            "token's source would be ambiguous; give each source issuers of its own",
        )
    return tuple(checked)


def pinned_key_set(provider: IdentityProvider) -> KeySetVerifier | None:
    """The verifier of ``provider``'s pinned keys (``jwks=``), or ``None`` without them.

    Raises:
        InvalidConfigError: the JWK Set holds no key usable for its algorithms.
    """
    document = provider.pinned_keys
    if document is None:
        return None
    try:
        keys, skipped = parse_key_set(dumps_compact(document), provider_algorithms(provider))
    except FetchError as error:
        raise InvalidConfigError(f"{PROVIDERS_KEY}[{provider.name!r}].jwks", str(error)) from None
    if skipped:
        raise InvalidConfigError(
            f"{PROVIDERS_KEY}[{provider.name!r}].jwks", f"holds an unusable key: {skipped[0]}"
        )
    return keys
