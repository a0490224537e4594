"""``init_app``'s wiring: configuration → keys, codec, sessions and store, then the app's
routes, guard and error handlers. The one module that imports both
``flask_pyjwt._settings`` and ``flask_pyjwt._backends`` (an import-linter contract keeps
it so), which therefore never import each other.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask

from flask_pyjwt._backends.jwks import fetch_url
from flask_pyjwt._backends.redis_store import RedisRevocationStore
from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.errors import InvalidConfigError
from flask_pyjwt._core.key_signers import public_key_set
from flask_pyjwt._core.key_source import CachedKeySet, KeyFetcher
from flask_pyjwt._core.policy import Settings, revocation_horizon
from flask_pyjwt._core.revocation import MemoryRevocationStore, RevocationStore
from flask_pyjwt._core.sessions import Sessions
from flask_pyjwt._core.signing import Signer, Verifier
from flask_pyjwt._settings.catalogue import warn_unknown_keys
from flask_pyjwt._settings.key_material import signing_key_configured
from flask_pyjwt._settings.keys import RemoteKeys, load_keys
from flask_pyjwt._settings.settings import load_settings
from flask_pyjwt._settings.sources import layered_lookup

from .http_errors import register_error_handlers
from .placement import install_guard
from .routes import register_jwks_route
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
    # Configured keys are needed to verify unless a verifier was given, and to issue
    # unless a signer was given; a custom verifier alone makes a verify-only app
    # unless JWT_SECRET is set too.
    telemetry = _telemetry(app)
    use_config_keys = verifier is None or (signer is None and signing_key_configured(lookup))
    settings = load_settings(lookup, algorithm_required=use_config_keys)
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
    assert verifier is not None
    if signer is not None and signer.algorithm not in verifier.algorithms:
        raise InvalidConfigError(
            "JWT_AUTHTYPE",
            f"the signer signs {signer.algorithm}, which the verifier does not accept "
            f"({', '.join(sorted(verifier.algorithms))}); tokens issued could not be verified",
        )
    codec = (
        TokenCodec(settings, signer, verifier)
        if clock is None
        else TokenCodec(settings, signer, verifier, clock=clock)
    )
    store = _store_for(settings, options.revocation_store, clock)
    if telemetry is not None:
        telemetry.count_cache(codec)
        if not isinstance(store, MemoryRevocationStore):  # a dict lookup: no round trip
            store = telemetry.traced_store(store)
    sessions = Sessions(
        store,
        horizon=revocation_horizon(settings, issues=signer is not None) + settings.leeway,
        leeway=settings.leeway,
        fail_open=settings.revocation_fail_open,
        clock=time.time if clock is None else clock,
    )
    if settings.jwks_route is not None:
        register_jwks_route(app, settings.jwks_route, public_key_set(verifier))
    install_guard(app)
    register_error_handlers(app)
    return AppState(manager, codec, sessions, users)


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
) -> CachedKeySet:
    """The identity provider's keys: the core's cache around the HTTP fetcher (which
    sends the key signals, and is traced with OpenTelemetry)."""
    fetcher: KeyFetcher = SignallingFetcher(app, remote.algorithms, fetch_url)
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
        return RedisRevocationStore.from_url(url, prefix=settings.revocation_prefix)
    except ImportError as error:
        raise InvalidConfigError("JWT_REVOCATION_REDIS_URL", str(error)) from None
    except ValueError:
        raise InvalidConfigError(
            "JWT_REVOCATION_REDIS_URL", "is not a Redis URL redis-py can read"
        ) from None
