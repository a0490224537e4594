"""``JWT_SECRET`` / ``JWT_PUBLICKEY`` / ``JWT_JWKS_URL`` → a signer and a verifier, read once
at ``init_app``. :func:`load_keys` dispatches by kind: an HMAC secret
(:mod:`.keys_hmac`), a key pair or a verify-only public key (:mod:`.keys_pair`), a JWK
Set (:mod:`.keys_jwk`), or an identity provider's keys (:class:`RemoteKeys`, for the
Flask layer to build the key cache from). No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_pyjwt._core.algorithms import AuthType
from flask_pyjwt._core.errors import IgnoredConfigWarning, InvalidConfigError, MissingConfigError
from flask_pyjwt._core.hints import warn_at_caller
from flask_pyjwt._core.policy import (
    Settings,
)
from flask_pyjwt._core.signing import (
    Signer,
    Verifier,
)

from .key_material import (
    key_material,
)
from .keys_hmac import hmac_keys
from .keys_pair import pair_keys
from .sources import ConfigLookup


@dataclass(frozen=True, slots=True)
class RemoteKeys:
    """The keys are an identity provider's, fetched from ``url`` when first needed.

    The configuration only checks and describes them: the Flask layer's wiring builds
    the cache (:class:`~flask_pyjwt._core.key_source.CachedKeySet`) around the HTTP
    fetcher, so reading the configuration never imports an HTTP client.
    """

    url: str
    algorithms: tuple[AuthType, ...]
    timeout: float
    min_refresh: float
    max_cache: float


def _remote_keys(lookup: ConfigLookup, settings: Settings, url: str) -> RemoteKeys:
    for key in ("JWT_SECRET", "JWT_PUBLICKEY"):
        if lookup(key) is not None:
            raise InvalidConfigError(
                key,
                "is set with JWT_JWKS_URL, which makes this app verify the identity "
                "provider's tokens with the keys it publishes (and issue none); remove "
                f"{key}, or JWT_JWKS_URL",
            )
    if any(algorithm.is_symmetric for algorithm in settings.algorithms):
        raise InvalidConfigError(
            "JWT_AUTHTYPE",
            "is an HS* algorithm, but JWT_JWKS_URL publishes public keys; set the algorithm "
            "the identity provider signs with (RS256 for most)",
        )
    if settings.key_id is not None:
        warn_at_caller(
            "JWT_KEY_ID: is ignored with JWT_JWKS_URL: the identity provider's tokens name "
            "their keys themselves",
            IgnoredConfigWarning,
        )
    return RemoteKeys(
        url,
        settings.algorithms,
        timeout=settings.jwks_timeout,
        min_refresh=settings.jwks_min_refresh,
        max_cache=settings.jwks_max_cache,
    )


def load_keys(
    lookup: ConfigLookup, settings: Settings
) -> tuple[Signer | None, Verifier | RemoteKeys]:
    """Parse ``JWT_SECRET`` / ``JWT_PUBLICKEY`` once into a signer and a verifier.

    HMAC: ``JWT_SECRET`` signs and verifies. Key pairs: ``JWT_SECRET`` is the private key
    (its public half verifies unless ``JWT_PUBLICKEY`` is also given, and then the two must
    match); with only ``JWT_PUBLICKEY`` the app is verify-only (no signer). Either may be
    a JWK (JSON text or a mapping); ``JWT_PUBLICKEY`` may be a JWK Set, which must then
    hold the signing key's public half. With ``JWT_JWKS_URL`` the keys are an identity
    provider's, fetched when first needed: no signer, and :class:`RemoteKeys` for the
    caller to build the key cache from.

    Args:
        lookup: where ``JWT_*`` values are read.
        settings: the parsed settings.

    Raises:
        MissingConfigError: no usable key is configured.
        InvalidConfigError: a key does not fit ``JWT_AUTHTYPE`` or the keys disagree.
    """
    algorithm = settings.algorithm
    if algorithm is None:
        raise MissingConfigError("JWT_AUTHTYPE")
    if settings.jwks_url is not None:
        return None, _remote_keys(lookup, settings, settings.jwks_url)
    secret = key_material(lookup, "JWT_SECRET")
    if algorithm.is_symmetric:
        return hmac_keys(lookup, settings, algorithm, secret)
    return pair_keys(lookup, settings, algorithm, secret)
