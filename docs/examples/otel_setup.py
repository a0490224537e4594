"""OpenTelemetry: the SDK set up before ``AuthManager(app)``, as any app sets it up."""

from __future__ import annotations

from flask import Flask
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

from flask_pyjwt import AuthManager


# [start setup]
def create_app(reader: MetricReader, spans: SpanProcessor) -> Flask:
    # Once per process, before the extension is initialised (an exporter's reader in
    # production: OTLP, Prometheus, ...).
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(spans)
    trace.set_tracer_provider(tracer_provider)

    app = Flask("orders")
    app.config.from_mapping(JWT_ISSUER="orders", JWT_AUTHTYPE="HS256", JWT_SECRET="s" * 64)
    AuthManager(app)  # sees the providers: records from the first request on
    return app


# [end setup]
