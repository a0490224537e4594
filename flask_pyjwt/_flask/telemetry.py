"""OpenTelemetry metrics and spans (the ``otel`` extra: ``opentelemetry-api`` only).

Imported by ``init_app``'s wiring only when ``opentelemetry-api`` is installed, and
used only when the app has configured a meter or tracer provider (the API's global one,
set before ``init_app``): with the API installed but unconfigured, nothing is wired and a
request costs what it costs without it. When used, it:

- counts request outcomes and times each check, by listening to the
  ``token_verified`` and ``authentication_failed`` signals (which carry the duration;
  one receiver each, connected while some app is instrumented);
- counts verified-token cache hits and misses (a counting cache in place of the codec's);
- times every revocation-store call, counts its errors, and traces it (a span each);
- counts JWKS fetches by result and traces each fetch.

No attribute value is token text, a secret, a key or a URL (the Redis URL can hold a
password; a JWKS URL is configuration, not telemetry).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Generator, Iterable, Mapping
from contextlib import contextmanager
from typing import Final

from flask import Flask
from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import Status, StatusCode

from flask_pyjwt._core.codec import TokenCodec
from flask_pyjwt._core.key_source import FetchError, KeyFetcher
from flask_pyjwt._core.revocation import RevocationQuery, RevocationState, RevocationStore
from flask_pyjwt._core.verify_cache import CacheEntry, VerifiedTokenCache

from .signals import authentication_failed, refresh_token_reused, token_verified

INSTRUMENTATION: Final = "flask_pyjwt"
"""The instrumentation scope's name (the meter's and the tracer's)."""

_DURATION_BUCKETS: Final = (
    0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5,
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
)  # fmt: skip
"""Seconds: a cached verification takes microseconds, a store round trip milliseconds."""


def _configured(meter_provider: object, tracer_provider: object) -> bool:
    """Whether the app configured a provider: the API's defaults are proxies (that become
    real once one is set) and no-ops, named so in every API release."""
    meter_default = type(meter_provider).__name__ in ("_ProxyMeterProvider", "NoOpMeterProvider")
    tracer_default = isinstance(
        tracer_provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
    )
    return not (meter_default and tracer_default)


def global_providers() -> tuple[metrics.MeterProvider, trace.TracerProvider]:
    """The API's global meter and tracer providers (what the app's SDK setup set)."""
    return metrics.get_meter_provider(), trace.get_tracer_provider()


class Telemetry:
    """One app's instruments, and the wrappers that feed them."""

    def __init__(
        self, meter_provider: metrics.MeterProvider, tracer_provider: trace.TracerProvider
    ) -> None:
        meter = meter_provider.get_meter(INSTRUMENTATION)
        self.tracer = tracer_provider.get_tracer(INSTRUMENTATION)
        # The two per-request counts are kept here and observed at collection time: an
        # SDK counter's add() costs microseconds, an increment under a lock far less.
        self._lock = threading.Lock()
        self._requests: dict[tuple[tuple[str, str | int], ...], int] = {}
        self._cache = {"hit": 0, "miss": 0}
        meter.create_observable_counter(
            "flask_pyjwt.requests",
            callbacks=[self._observe_requests],
            unit="{request}",
            description="Protected requests, by outcome, error code and token source.",
        )
        self.verification = meter.create_histogram(
            "flask_pyjwt.verification.duration",
            unit="s",
            description="Time to check a protected request's token, by outcome.",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        meter.create_observable_counter(
            "flask_pyjwt.verify_cache.lookups",
            callbacks=[self._observe_cache],
            unit="{lookup}",
            description="Verified-token cache lookups, by result (hit or miss).",
        )
        self.store_duration = meter.create_histogram(
            "flask_pyjwt.revocation_store.duration",
            unit="s",
            description="Revocation-store calls, by operation and outcome.",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.store_errors = meter.create_counter(
            "flask_pyjwt.revocation_store.errors",
            unit="{error}",
            description="Revocation-store calls that failed, by operation.",
        )
        self.key_fetches = meter.create_counter(
            "flask_pyjwt.jwks.fetches",
            unit="{fetch}",
            description="Fetches of the identity provider's JWKS, by result.",
        )
        self.reuses = meter.create_counter(
            "flask_pyjwt.refresh_token.reuses",
            unit="{reuse}",
            description="Rotated refresh tokens presented again (their sessions revoked).",
        )

    # -- the observed counts ---------------------------------------------------------------

    def _count_request(self, attributes: tuple[tuple[str, str | int], ...]) -> None:
        with self._lock:
            self._requests[attributes] = self._requests.get(attributes, 0) + 1

    def count_lookup(self, hit: bool) -> None:
        """Count one verified-token cache lookup."""
        with self._lock:
            self._cache["hit" if hit else "miss"] += 1

    def _observe_requests(self, options: CallbackOptions) -> Iterable[Observation]:
        del options
        with self._lock:
            counts = list(self._requests.items())
        return [Observation(count, dict(attributes)) for attributes, count in counts]

    def _observe_cache(self, options: CallbackOptions) -> Iterable[Observation]:
        del options
        with self._lock:
            counts = list(self._cache.items())
        return [
            Observation(count, {"flask_pyjwt.cache.result": result})
            for result, count in counts
            if count
        ]

    # -- requests, through the signals ---------------------------------------------------

    def verified(self, kwargs: Mapping[str, object]) -> None:
        """Record a :data:`~flask_pyjwt.signals.token_verified`."""
        self._count_request(
            (
                ("flask_pyjwt.outcome", "verified"),
                ("flask_pyjwt.code", "ok"),
                ("flask_pyjwt.source", str(kwargs.get("source"))),
                ("flask_pyjwt.token_type", str(kwargs.get("token_type"))),
            )
        )
        self._time_verification(kwargs.get("duration"), "verified", "ok")

    def refused(self, kwargs: Mapping[str, object]) -> None:
        """Record an :data:`~flask_pyjwt.signals.authentication_failed`."""
        code = str(kwargs.get("code"))
        source = kwargs.get("source")
        self._count_request(
            (
                ("flask_pyjwt.outcome", "refused"),
                ("flask_pyjwt.code", code),
                ("flask_pyjwt.source", "none" if source is None else str(source)),
                ("http.response.status_code", _int(kwargs.get("status"))),
            )
        )
        self._time_verification(kwargs.get("duration"), "refused", code)

    def reused(self) -> None:
        """Record a :data:`~flask_pyjwt.signals.refresh_token_reused` (the subject and
        session are not metric attributes)."""
        self.reuses.add(1)

    def _time_verification(self, duration: object, outcome: str, code: str) -> None:
        if isinstance(duration, float):
            self.verification.record(
                duration, {"flask_pyjwt.outcome": outcome, "flask_pyjwt.code": code}
            )

    # -- the verified-token cache --------------------------------------------------------

    def count_cache(self, codec: TokenCodec) -> None:
        """Put counting caches in place of ``codec``'s, one per token source that has
        one (before any request: they are empty)."""
        codec.replace_caches(lambda current: _CountingCache(current.size, self))

    # -- the revocation store and the key fetches ----------------------------------------

    def traced_store(self, store: RevocationStore) -> RevocationStore:
        """``store``, each call timed, counted on failure and traced."""
        return _TracedStore(store, self)

    def fetcher(self, fetcher: KeyFetcher) -> KeyFetcher:
        """``fetcher``, each fetch counted by result and traced."""

        def fetch(url: str, timeout: float, /) -> tuple[bytes, str | None]:
            with self.tracer.start_as_current_span("flask_pyjwt.jwks.fetch") as span:
                try:
                    answer = fetcher(url, timeout)
                except FetchError as error:
                    self.key_fetches.add(1, {"flask_pyjwt.fetch.result": "failed"})
                    span.set_status(Status(StatusCode.ERROR, "the JWKS fetch failed"))
                    span.set_attribute("error.type", type(error).__name__)
                    raise
                self.key_fetches.add(1, {"flask_pyjwt.fetch.result": "fetched"})
                return answer

        return fetch

    @contextmanager
    def store_call(self, operation: str) -> Generator[None, None, None]:
        """Time, trace and count the failure of one store call."""
        name = f"flask_pyjwt.revocation_store.{operation}"
        started = time.perf_counter()
        with self.tracer.start_as_current_span(name) as span:
            span.set_attribute("flask_pyjwt.store.operation", operation)
            try:
                yield
            except Exception as error:
                elapsed = time.perf_counter() - started
                kind = type(error).__name__
                self.store_errors.add(
                    1, {"flask_pyjwt.store.operation": operation, "error.type": kind}
                )
                self.store_duration.record(
                    elapsed,
                    {"flask_pyjwt.store.operation": operation, "flask_pyjwt.outcome": "error"},
                )
                span.set_status(Status(StatusCode.ERROR, kind))
                span.set_attribute("error.type", kind)
                raise
            self.store_duration.record(
                time.perf_counter() - started,
                {"flask_pyjwt.store.operation": operation, "flask_pyjwt.outcome": "ok"},
            )


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


class _CountingCache(VerifiedTokenCache):
    """The verified-token cache, counting each lookup's result."""

    __slots__ = ("_telemetry",)

    def __init__(self, size: int, telemetry: Telemetry) -> None:
        super().__init__(size)
        self._telemetry = telemetry

    def get(self, token: str, generation: int) -> CacheEntry | None:
        entry = super().get(token, generation)
        self._telemetry.count_lookup(entry is not None)
        return entry


class _TracedStore:
    """A :class:`~flask_pyjwt.RevocationStore` whose every call is timed and traced."""

    __slots__ = ("_inner", "_telemetry")

    def __init__(self, inner: RevocationStore, telemetry: Telemetry) -> None:
        self._inner = inner
        self._telemetry = telemetry

    def status(self, query: RevocationQuery) -> RevocationState:
        with self._telemetry.store_call("status"):
            return self._inner.status(query)

    def revoke_token(self, jti: str, *, ttl: int, subject: str) -> None:
        with self._telemetry.store_call("revoke_token"):
            self._inner.revoke_token(jti, ttl=ttl, subject=subject)

    def revoke_family(self, family: str, *, ttl: int, subject: str) -> None:
        with self._telemetry.store_call("revoke_family"):
            self._inner.revoke_family(family, ttl=ttl, subject=subject)

    def revoke_subject(self, subject: str, *, issued_before: int, ttl: int) -> None:
        with self._telemetry.store_call("revoke_subject"):
            self._inner.revoke_subject(subject, issued_before=issued_before, ttl=ttl)

    def retire(self, jti: str, *, ttl: int, subject: str, record: str) -> str:
        with self._telemetry.store_call("retire"):
            return self._inner.retire(jti, ttl=ttl, subject=subject, record=record)

    def rotation(self, jti: str, *, subject: str) -> str | None:
        with self._telemetry.store_call("rotation"):
            return self._inner.rotation(jti, subject=subject)

    def remember_once(self, key: str, *, ttl: int) -> bool:
        with self._telemetry.store_call("remember_once"):
            return self._inner.remember_once(key, ttl=ttl)


ProviderSource = Callable[[], "tuple[metrics.MeterProvider, trace.TracerProvider]"]


# One receiver per signal, connected while some app is instrumented, finds the app's
# instruments here by the sender's id. Per-app receivers would stay in each signal's
# receivers (blinker drops a dead sender's links, not its receivers) and keep the request
# path building signal arguments for every app after the first instrumented one died.
_BY_APP: Final[dict[int, Telemetry]] = {}


def _on_verified(sender: object, **kwargs: object) -> None:
    telemetry = _BY_APP.get(id(sender))
    if telemetry is not None:
        telemetry.verified(kwargs)


def _on_refused(sender: object, **kwargs: object) -> None:
    telemetry = _BY_APP.get(id(sender))
    if telemetry is not None:
        telemetry.refused(kwargs)


def _on_reused(sender: object, **kwargs: object) -> None:
    del kwargs
    telemetry = _BY_APP.get(id(sender))
    if telemetry is not None:
        telemetry.reused()


_RECEIVERS: Final = (
    (token_verified, _on_verified),
    (authentication_failed, _on_refused),
    (refresh_token_reused, _on_reused),
)


def _register(app: Flask, telemetry: Telemetry) -> None:
    if not _BY_APP:
        for signal, receiver in _RECEIVERS:
            signal.connect(receiver, weak=False)
    _BY_APP[id(app)] = telemetry
    weakref.finalize(app, _unregister, id(app))


def _unregister(app_id: int) -> None:
    _BY_APP.pop(app_id, None)
    if not _BY_APP:
        for signal, receiver in _RECEIVERS:
            signal.disconnect(receiver)


def telemetry_for(app: Flask, providers: ProviderSource | None = None) -> Telemetry | None:
    """The instruments for ``app``, listening already; ``None`` when no provider is
    configured (then nothing is wired). ``providers`` defaults to
    :func:`global_providers`, looked up when called."""
    meter_provider, tracer_provider = (providers or global_providers)()
    if not _configured(meter_provider, tracer_provider):
        return None
    telemetry = Telemetry(meter_provider, tracer_provider)
    _register(app, telemetry)
    return telemetry
