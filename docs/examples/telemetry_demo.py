"""The metrics ``make demo``'s flow produces, read with the OpenTelemetry SDK's in-memory
reader (rendered as a table on the observability page by ``generated.py``)."""

from __future__ import annotations

import contextlib
import gc
import io
from collections.abc import Generator
from contextlib import contextmanager

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    HistogramDataPoint,
    InMemoryMetricReader,
    NumberDataPoint,
)
from opentelemetry.sdk.trace import TracerProvider

from examples import demo
from flask_pyjwt._flask import telemetry


@contextmanager
def sdk_reader() -> Generator[InMemoryMetricReader, None, None]:
    """SDK providers for the apps built inside the block, as if the app had set them
    globally with ``metrics.set_meter_provider(...)`` before ``AuthManager(app)`` (the
    API's global can be set once per process; this keeps the docs build's own)."""
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    tracers = TracerProvider()
    original = telemetry.global_providers
    telemetry.global_providers = lambda: (meters, tracers)
    try:
        yield reader
    finally:
        telemetry.global_providers = original
        meters.shutdown()
        tracers.shutdown()
        gc.collect()  # the demo's app, and with it the signals' receivers, go now


def demo_metrics() -> list[tuple[str, str, str]]:
    """(metric, attributes, value) for every data point after the demo's flow; a
    histogram's value is its count of measurements."""
    with sdk_reader() as reader, contextlib.redirect_stdout(io.StringIO()):
        assert demo.main() == 0
        data = reader.get_metrics_data()
    rows: list[tuple[str, str, str]] = []
    assert data is not None
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    attributes = point.attributes or {}
                    shown = ", ".join(
                        f"{key.removeprefix('flask_pyjwt.')}={value!s}"
                        for key, value in sorted(attributes.items())
                    )
                    if isinstance(point, NumberDataPoint):
                        value = str(point.value)
                    elif isinstance(point, HistogramDataPoint):
                        value = f"{point.count} measured"
                    else:  # no exponential histogram here
                        continue
                    rows.append((metric.name, shown, value))
    return sorted(rows)
