"""OpenTelemetry: what an app with a configured provider records (read back with the
SDK's in-memory reader and span exporter), that nothing leaks into attributes, and that
nothing is wired or imported without a provider or without the API."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pytest
from flask import Flask
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    HistogramDataPoint,
    InMemoryMetricReader,
    NumberDataPoint,
)
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from flask_pyjwt import AuthManager, MemoryRevocationStore, current_token, require_token, signals
from flask_pyjwt._flask import telemetry
from flask_pyjwt._flask.state import app_state
from flask_pyjwt.testing import FakeIdentityProvider, TokenClock, auth_header
from tests.redis_server import RedisServer
from tests.support import bearer

SECRET = "an-otel-test-secret-" + "z" * 40


@dataclass
class Recorded:
    reader: InMemoryMetricReader
    spans: InMemorySpanExporter

    def points(self, name: str) -> list[NumberDataPoint | HistogramDataPoint]:
        data = self.reader.get_metrics_data()
        found: list[NumberDataPoint | HistogramDataPoint] = []
        if data is None:
            return found
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found.extend(
                            point
                            for point in metric.data.data_points
                            if isinstance(point, (NumberDataPoint, HistogramDataPoint))
                        )
        return found

    def counts(self, name: str, *keys: str) -> dict[tuple[object, ...], float]:
        """The counter ``name``'s values by the attributes ``keys``."""
        totals: dict[tuple[object, ...], float] = {}
        for point in self.points(name):
            assert isinstance(point, NumberDataPoint)
            attributes = point.attributes or {}
            key = tuple(attributes.get(k) for k in keys)
            totals[key] = totals.get(key, 0) + point.value
        return totals

    def attribute_values(self) -> list[str]:
        values: list[str] = []
        data = self.reader.get_metrics_data()
        if data is not None:
            for resource in data.resource_metrics:
                for scope in resource.scope_metrics:
                    for metric in scope.metrics:
                        for point in metric.data.data_points:
                            values += [str(v) for v in (point.attributes or {}).values()]
        for span in self.spans.get_finished_spans():
            values += [str(v) for v in (span.attributes or {}).values()]
            values.append(span.name)
        return values


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorded]:
    """SDK providers with in-memory readers, as the app's global ones (for init_app)."""
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    spans = InMemorySpanExporter()
    tracers = TracerProvider()
    tracers.add_span_processor(SimpleSpanProcessor(spans))
    monkeypatch.setattr(telemetry, "global_providers", lambda: (meters, tracers))
    yield Recorded(reader, spans)
    meters.shutdown()
    tracers.shutdown()
    # The apps' receivers leave with the apps (blinker holds senders weakly): collect
    # them now, so that no later test in this process sees a connected signal.
    gc.collect()


def protected_app(**config: object) -> tuple[Flask, TokenClock]:
    clock = TokenClock()
    app = Flask("otel")
    app.config.from_mapping(
        {"JWT_ISSUER": "otel", "JWT_AUTHTYPE": "HS256", "JWT_SECRET": SECRET, **config}
    )
    AuthManager(app, clock=clock)

    @app.route("/me")
    @require_token(location=("header", "cookies"))
    def me() -> dict[str, str]:
        return {"sub": current_token.sub}

    @app.route("/admin")
    @require_token(scope={"admin": True})
    def admin() -> dict[str, str]:
        return {"sub": current_token.sub}

    return app, clock


def test_request_outcomes_by_code_and_source_and_their_duration(recorded: Recorded) -> None:
    app, _ = protected_app()
    client = app.test_client()
    headers = auth_header(app, "alice")
    for _ in range(3):
        assert client.get("/me", headers=headers).status_code == 200
    assert client.get("/me").status_code == 401
    assert client.get("/admin", headers=headers).status_code == 403
    assert client.get("/me", headers=bearer("not.a.token")).status_code == 401
    counts = recorded.counts(
        "flask_pyjwt.requests", "flask_pyjwt.outcome", "flask_pyjwt.code", "flask_pyjwt.source"
    )
    assert counts == {
        ("verified", "ok", "header"): 3,
        ("refused", "token_missing", "none"): 1,
        ("refused", "insufficient_scope", "header"): 1,
        ("refused", "token_malformed", "header"): 1,
    }
    durations = recorded.points("flask_pyjwt.verification.duration")
    assert sum(point.count for point in durations if isinstance(point, HistogramDataPoint)) == 6
    assert all(isinstance(point, HistogramDataPoint) and 0 < point.sum < 5 for point in durations)
    assert not any(
        part in value
        for value in recorded.attribute_values()
        for part in [*headers["Authorization"][7:].split("."), SECRET]
    )


def test_verified_token_cache_hits_and_misses(recorded: Recorded) -> None:
    app, _ = protected_app()
    client = app.test_client()
    headers = auth_header(app, "alice")
    for _ in range(4):  # admitted on the second verification, served from the third
        assert client.get("/me", headers=headers).status_code == 200
    counts = recorded.counts("flask_pyjwt.verify_cache.lookups", "flask_pyjwt.cache.result")
    assert counts == {("miss",): 2, ("hit",): 2}


def test_no_cache_no_cache_counts(recorded: Recorded) -> None:
    app, _ = protected_app(JWT_VERIFY_CACHE_SIZE=0)
    assert app.test_client().get("/me", headers=auth_header(app, "alice")).status_code == 200
    assert recorded.counts("flask_pyjwt.verify_cache.lookups") == {}


def test_store_latency_errors_and_spans_without_the_redis_url(
    recorded: Recorded, redis: RedisServer
) -> None:
    app, _ = protected_app(JWT_REVOCATION_REDIS_URL=redis.url)
    client = app.test_client()
    headers = auth_header(app, "alice")
    assert client.get("/me", headers=headers).status_code == 200
    with app.app_context():
        app.extensions["pyjwt_authmanager"].revoke_subject("bob")
    redis.stop()
    try:
        response = client.get("/me", headers=auth_header(app, "carol"))
    finally:
        redis.start()
    assert response.status_code == 503
    durations = recorded.points("flask_pyjwt.revocation_store.duration")
    by_call = {
        (
            (point.attributes or {}).get("flask_pyjwt.store.operation"),
            (point.attributes or {}).get("flask_pyjwt.outcome"),
        ): point.count
        for point in durations
        if isinstance(point, HistogramDataPoint)
    }
    assert by_call == {("status", "ok"): 1, ("revoke_subject", "ok"): 1, ("status", "error"): 1}
    errors = recorded.counts(
        "flask_pyjwt.revocation_store.errors", "flask_pyjwt.store.operation", "error.type"
    )
    assert errors == {("status", "RevocationUnavailableError"): 1}
    spans: tuple[ReadableSpan, ...] = recorded.spans.get_finished_spans()
    assert [span.name for span in spans] == [
        "flask_pyjwt.revocation_store.status",
        "flask_pyjwt.revocation_store.revoke_subject",
        "flask_pyjwt.revocation_store.status",
    ]
    assert spans[-1].status.status_code is StatusCode.ERROR
    assert spans[0].status.status_code is StatusCode.UNSET
    values = recorded.attribute_values()
    assert not any(str(redis.port) in value or "redis://" in value for value in values)


def test_key_fetches_by_result_and_their_spans(recorded: Recorded) -> None:
    clock = TokenClock()
    with FakeIdentityProvider(clock=clock) as idp:
        app = Flask("otel_idp")
        app.config.from_mapping(idp.config())
        AuthManager(app, clock=clock)

        @app.route("/me")
        @require_token()
        def me() -> dict[str, str]:
            return {"sub": current_token.sub}

        client = app.test_client()
        assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
        url = idp.jwks_url
        idp.stop()
        clock.advance(3600)
        assert client.get("/me", headers=idp.auth_header("alice")).status_code == 200
    counts = recorded.counts("flask_pyjwt.jwks.fetches", "flask_pyjwt.fetch.result")
    assert counts == {("fetched",): 1, ("failed",): 1}
    fetches = [
        span
        for span in recorded.spans.get_finished_spans()
        if span.name == "flask_pyjwt.jwks.fetch"
    ]
    assert [span.status.status_code for span in fetches] == [StatusCode.UNSET, StatusCode.ERROR]
    assert not any(url in value for value in recorded.attribute_values())


def test_refresh_token_reuse_is_counted(recorded: Recorded) -> None:
    app, _ = protected_app()
    manager = cast("AuthManager", app.extensions["pyjwt_authmanager"])
    with app.app_context():
        first = manager.refresh_token("alice")
        manager.rotate(first)
        with pytest.raises(Exception, match="already used"):
            manager.rotate(first)
    assert recorded.counts("flask_pyjwt.refresh_token.reuses") == {(): 1}


def test_unconfigured_api_wires_nothing() -> None:
    """The API's default providers (proxies, as in this process): no wrapper, no
    receiver, the request path as without OpenTelemetry."""
    app, _ = protected_app()
    state = app_state(app)
    assert type(state.sessions.store) is MemoryRevocationStore
    assert type(state.codec.cache).__name__ == "VerifiedTokenCache"
    assert not list(signals.token_verified.receivers_for(app))
    assert not list(signals.authentication_failed.receivers_for(app))
    assert app.test_client().get("/me", headers=auth_header(app, "alice")).status_code == 200


def _run(*parts: str) -> str:
    code = "\n".join(textwrap.dedent(part) for part in parts)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


APP = """
    from flask import Flask
    from flask_pyjwt import AuthManager, require_token
    from flask_pyjwt.testing import auth_header
    app = Flask("p")
    app.config.from_mapping(JWT_ISSUER="p", JWT_AUTHTYPE="HS256", JWT_SECRET="s" * 64)
    AuthManager(app)
    @app.route("/me")
    @require_token()
    def me(): return {}
    assert app.test_client().get("/me", headers=auth_header(app, "alice")).status_code == 200
"""


@pytest.mark.slow  # fresh interpreters: the API's globals are set once per process
def test_global_providers_and_no_api_in_subprocesses() -> None:
    configured = _run(
        """
        from opentelemetry import metrics
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        """,
        APP,
        """
        names = {m.name for r in reader.get_metrics_data().resource_metrics
                 for s in r.scope_metrics for m in s.metrics}
        print(sorted(names))
        """,
    )
    assert "flask_pyjwt.requests" in configured
    assert "flask_pyjwt.verification.duration" in configured
    # Without the API (an import of it fails): the app works and nothing was imported.
    absent = _run(
        """
        import sys
        sys.modules["opentelemetry"] = None  # as if not installed
        """,
        APP,
        """
        print(sorted(n for n, m in sys.modules.items() if n.startswith("opentelemetry") and m))
        """,
    )
    assert absent == "[]"


def test_an_app_without_a_provider_beside_an_instrumented_one_is_not_counted(
    recorded: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opentelemetry import metrics, trace

    instrumented, _ = protected_app()
    with monkeypatch.context() as unconfigured:
        unconfigured.setattr(
            telemetry,
            "global_providers",
            lambda: (metrics.NoOpMeterProvider(), trace.NoOpTracerProvider()),
        )
        quiet, _ = protected_app()
    assert quiet.test_client().get("/me").status_code == 401
    assert quiet.test_client().get("/me", headers=auth_header(quiet, "bob")).status_code == 200
    assert instrumented.test_client().get("/me").status_code == 401
    counts = recorded.counts("flask_pyjwt.requests", "flask_pyjwt.outcome")
    assert counts == {("refused",): 1}
