"""``init_app``'s wiring: configuration → keys, codec, sessions and store, then the app's
routes, guard and error handlers. The one module that imports both
``flask_pyjwt._settings`` and ``flask_pyjwt._backends`` (an import-linter contract keeps
it so), which therefore never import each other.
"""

from __future__ import annotations

import functools
import os
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, Response

from flask_pyjwt._backends.discovery import DiscoveryFetcher
from flask_pyjwt._backends.jwks import fetch_url
from flask_pyjwt._backends.redis_store import RedisRevocationStore
from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.dpop import DPoPRuntime, ProofChecker
from flask_pyjwt._core.dpop_nonce import NonceSource
from flask_pyjwt._core.errors import InvalidConfigError
from flask_pyjwt._core.identity_provider import IdentityProvider
from flask_pyjwt._core.jwks import JWKSet
from flask_pyjwt._core.key_signers import public_key_set
from flask_pyjwt._core.key_source import CachedKeySet, KeyFetcher
from flask_pyjwt._core.policy import Settings, revocation_horizon
from flask_pyjwt._core.revocation import MemoryRevocationStore, RevocationStore
from flask_pyjwt._core.sessions import Sessions
from flask_pyjwt._core.signing import Signer, Verifier
from flask_pyjwt._core.sources import provider_algorithms, provider_source
from flask_pyjwt._settings.catalogue import warn_unknown_keys
from flask_pyjwt._settings.key_material import signing_key_configured
from flask_pyjwt._settings.keys import RemoteKeys, load_keys
from flask_pyjwt._settings.providers import check_providers, pinned_key_set
from flask_pyjwt._settings.settings import load_settings
from flask_pyjwt._settings.sources import layered_lookup

from .context import get_request
from .cookies import register_template_helpers
from .dpop import NEXT_NONCE
from .http_errors import register_error_handlers
from .placement import install_guard
from .routes import register_jwks_route, register_resource_metadata_route, resource_metadata_url
from .signals import SignallingFetcher
from .state import AppState, IssuesTokens, UserLoaderSlot

if TYPE_CHECKING:
    from .telemetry import Telemetry


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupOptions:
    """What an :class:`~flask_pyjwt.AuthManager` was given, for each app it initialises
    (the arguments of the same names)."""

    signer: Signer | None
    verifier: Verifier | None
    revocation_store: RevocationStore | None
    clock: Callable[[], float] | None
    dotenv_path: str | os.PathLike[str] | None
    providers: Sequence[object] = ()


def build_state(
    app: Flask, manager: IssuesTokens, users: UserLoaderSlot, options: SetupOptions
) -> AppState:
    """Read ``app``'s configuration, build what serves it, and register its routes, guard
    and error handlers; the caller stores the returned state in ``app.extensions``.

    Raises: what :meth:`~flask_pyjwt.AuthManager.init_app` documents.
    """
    signer, verifier, clock = options.signer, options.verifier, options.clock
    warn_unknown_keys(app.config)  # first: a misspelt key often explains an error below
    lookup = layered_lookup(app.config, dotenv_path=options.dotenv_path)
    # With identity providers, the app's own tokens ("self") are accepted only when it
    # has keys of its own (or a custom signer or verifier).
    with_providers = bool(options.providers)
    own_tokens = not with_providers or (
        verifier is not None
        or signer is not None
        or signing_key_configured(lookup)
        or lookup("JWT_PUBLICKEY") is not None
    )
    # Configured keys are needed to verify unless a verifier was given, and to issue
    # unless a signer was given; a custom verifier alone makes a verify-only app
    # unless JWT_SECRET is set too.
    telemetry = _telemetry(app)
    use_config_keys = own_tokens and (
        verifier is None or (signer is None and signing_key_configured(lookup))
    )
    settings = load_settings(lookup, algorithm_required=use_config_keys, issuer_required=own_tokens)
    providers = check_providers(
        options.providers,
        own_issuer=settings.issuer if own_tokens else None,
        jwks_url=settings.jwks_url,
    )
    if settings.jwks_url is not None and verifier is not None:
        raise InvalidConfigError(
            "JWT_JWKS_URL",
            "is set together with a custom verifier, which would be used instead of the "
            "identity provider's keys; remove one of them",
        )
    if use_config_keys:
        config_signer, config_verifier = load_keys(lookup, settings)
        if isinstance(config_verifier, RemoteKeys):
            config_verifier = _key_cache(app, config_verifier, clock, telemetry)
        signer = signer if signer is not None else config_signer
        verifier = verifier if verifier is not None else config_verifier
    if signer is not None and verifier is not None and signer.algorithm not in verifier.algorithms:
        raise InvalidConfigError(
            "JWT_AUTHTYPE",
            f"the signer signs {signer.algorithm}, which the verifier does not accept "
            f"({', '.join(sorted(verifier.algorithms))}); tokens issued could not be verified",
        )
    sources = [
        provider_source(
            provider,
            _provider_keys(app, provider, settings, clock, telemetry),
            settings,
            clock=time.time if clock is None else clock,
        )
        for provider in providers
    ]
    codec = TokenCodec(
        settings, signer, verifier, clock=time.time if clock is None else clock, providers=sources
    )
    store = _store_for(settings, options.revocation_store, clock)
    if telemetry is not None:
        telemetry.count_cache(codec)
        if not isinstance(store, MemoryRevocationStore):  # a dict lookup: no round trip
            store = telemetry.traced_store(store)
    sessions = Sessions(
        store,
        horizon=revocation_horizon(settings, issues=signer is not None and not providers)
        + settings.leeway,
        leeway=settings.leeway,
        fail_open=settings.revocation_fail_open,
        clock=time.time if clock is None else clock,
        grace=settings.rotation_grace,
    )
    if settings.jwks_route is not None:
        keys: JWKSet = {"keys": []} if verifier is None else public_key_set(verifier)
        register_jwks_route(app, settings.jwks_route, keys)
    if settings.resource_metadata_route is not None:
        register_resource_metadata_route(
            app, settings.resource_metadata_route, settings, codec.sources
        )
    dpop = _dpop_runtime(settings, lookup("JWT_SECRET"), clock)
    if dpop.nonces is not None or settings.resource_metadata_route is not None:
        app.after_request(functools.partial(_finish_response, settings))
    install_guard(app)
    register_error_handlers(app, challenge_scheme=settings.transport.header_scheme)
    register_template_helpers(app)
    return AppState(manager, codec, sessions, users, dpop)


def _dpop_runtime(
    settings: Settings, secret: object, clock: Callable[[], float] | None
) -> DPoPRuntime:
    """The proof checker and, with ``JWT_DPOP_NONCE``, the nonces: keyed by the signing
    key's text, so every process of the app accepts the nonces of the others (an app
    without one, verify-only, draws a random key: its processes each have their own)."""
    now = time.time if clock is None else clock
    dpop = settings.dpop
    checker = ProofChecker(dpop.algorithms, iat_window=dpop.iat_window, clock=now)
    nonces = None
    if dpop.nonce:
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        material = secret if isinstance(secret, bytes) else secrets.token_bytes(32)
        nonces = NonceSource.derived(material, now)
    return DPoPRuntime(checker, nonces, " ".join(a.value for a in dpop.algorithms))


def _finish_response(settings: Settings, response: Response) -> Response:
    """Hand out the next DPoP nonce when it rotated (RFC 9449 8.2), and point every 401
    challenge at the resource metadata (RFC 9728 5.1)."""
    environ: Mapping[str, object] = get_request().environ
    nonce = environ.get(NEXT_NONCE)
    if isinstance(nonce, str) and "DPoP-Nonce" not in response.headers:
        response.headers["DPoP-Nonce"] = nonce
    challenge = response.headers.get("WWW-Authenticate")
    if response.status_code == 401 and challenge is not None:
        url = resource_metadata_url(settings)
        if url is not None:
            joiner = ", " if " " in challenge else " "
            response.headers["WWW-Authenticate"] = f'{challenge}{joiner}resource_metadata="{url}"'
    return response


def _telemetry(app: Flask) -> Telemetry | None:
    """OpenTelemetry instruments for ``app`` when opentelemetry-api is installed and the
    app configured a provider; otherwise ``None`` (and nothing is imported without the
    API)."""
    try:
        from .telemetry import telemetry_for
    except ModuleNotFoundError as error:
        if error.name is not None and error.name.split(".")[0] == "opentelemetry":
            return None
        raise  # pragma: no cover - another module missing: not ours to hide
    return telemetry_for(app)


def _key_cache(
    app: Flask,
    remote: RemoteKeys,
    clock: Callable[[], float] | None,
    telemetry: Telemetry | None,
    fetch: KeyFetcher = fetch_url,
) -> CachedKeySet:
    """An identity provider's keys: the core's cache around ``fetch`` (the HTTP fetcher,
    or a discovery fetcher), which sends the key signals and is traced with
    OpenTelemetry."""
    fetcher: KeyFetcher = SignallingFetcher(app, remote.algorithms, fetch)
    if telemetry is not None:
        fetcher = telemetry.fetcher(fetcher)
    return CachedKeySet(
        remote.url,
        remote.algorithms,
        timeout=remote.timeout,
        min_refresh=remote.min_refresh,
        max_cache=remote.max_cache,
        clock=time.monotonic if clock is None else clock,
        fetcher=fetcher,
    )


def _provider_keys(
    app: Flask,
    provider: IdentityProvider,
    settings: Settings,
    clock: Callable[[], float] | None,
    telemetry: Telemetry | None,
) -> Verifier:
    """An identity provider's keys: pinned, or the core's cache around the HTTP fetcher
    (through its discovery document for ``IdentityProvider.discover``): :func:`_key_cache`.
    Each provider has its own cache, refetch limit and last-good keys."""
    pinned = pinned_key_set(provider)
    if pinned is not None:
        return pinned
    fetcher: KeyFetcher
    if provider.jwks_url is not None:
        url, fetcher = provider.jwks_url, fetch_url
    else:
        assert provider.discovery_url is not None  # the dataclass holds exactly one
        url, fetcher = provider.discovery_url, DiscoveryFetcher(provider.issuers[0])
    remote = RemoteKeys(
        url,
        provider_algorithms(provider),
        settings.jwks_timeout,
        settings.jwks_min_refresh,
        settings.jwks_max_cache,
    )
    return _key_cache(app, remote, clock, telemetry, fetcher)


def _store_for(
    settings: Settings, revocation_store: RevocationStore | None, clock: Callable[[], float] | None
) -> RevocationStore:
    url = settings.revocation_redis_url
    if url is None:
        if revocation_store is not None:
            return revocation_store
        if clock is None:
            return MemoryRevocationStore()
        return MemoryRevocationStore(clock=clock)
    if revocation_store is not None:
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL",
            "is set, and a revocation_store was given to AuthManager too; use one of them",
        )
    try:
        # The local cache holds at most as many answers as the verified-token cache
        # holds tokens (none when that cache is off).
        size = settings.verify_cache_size
        return RedisRevocationStore.from_url(
            url,
            prefix=settings.revocation_prefix,
            local_cache=size > 0,
            local_cache_size=max(1, size),
        )
    except ImportError as error:
        raise InvalidConfigError("JWT_REVOCATION_REDIS_URL", str(error)) from None
    except ValueError:
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL", "is not a Redis URL redis-py can read"
        ) from None
