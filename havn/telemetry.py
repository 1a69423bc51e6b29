"""OpenTelemetry: one tracer and meter provider per process, W3C trace context over HTTP and NATS.

Production runs one service per process, so the provider's resource names that service.
Tests (and a single-process stack) host every service in one process: the provider is
created once, by whichever service comes first, and each app's server spans carry the
app's own name in `havn.service` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from opentelemetry import metrics, propagate, trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

# What has been attached to the provider already: OTLP endpoints and in-process exporters.
_attached: set[object] = set()


def setup_telemetry(
    service_name: str, *, otlp_endpoint: str | None, exporter: SpanExporter | None = None
) -> TracerProvider:
    """Returns the process's tracer provider, exporting to OTLP and/or a given exporter.

    Calling it again (another service in the same process, a test) adds only exporters
    not attached yet.
    """
    provider = _process_provider(service_name)
    if otlp_endpoint and otlp_endpoint not in _attached:
        _attached.add(otlp_endpoint)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
        if not metrics_exported():
            # The collector takes metrics beside traces: .../v1/traces -> .../v1/metrics.
            reader = PeriodicExportingMetricReader(
                OTLPMetricExporter(endpoint=otlp_endpoint.removesuffix("traces") + "metrics")
            )
            metrics.set_meter_provider(
                MeterProvider(resource=provider.resource, metric_readers=[reader])
            )
    if exporter is not None and exporter not in _attached:
        _attached.add(exporter)
        # Synchronous on purpose: what a test exports is visible when the span ends.
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


class _WhileExporting(Sampler):
    """Records spans only once something exports them: unexported spans are pure cost.

    Dropped spans still carry a fresh trace id, so the access log and the `traceparent`
    sent onwards correlate a request's work all the same."""

    def __init__(self) -> None:
        self._recording = ParentBased(ALWAYS_ON)

    def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
        if not _attached:
            return SamplingResult(Decision.DROP)
        return self._recording.should_sample(*args, **kwargs)

    def get_description(self) -> str:
        return "WhileExporting"


def metrics_exported() -> bool:
    """Whether this process exports metrics (an OTLP endpoint is set): gauges cost nothing else."""
    return isinstance(metrics.get_meter_provider(), MeterProvider)


def _process_provider(service_name: str) -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name}), sampler=_WhileExporting()
    )
    trace.set_tracer_provider(provider)
    propagate.set_global_textmap(TraceContextTextMapPropagator())
    return provider


def setup_logging(level: str) -> None:
    """Havn's own loggers at `HAVN_LOG_LEVEL`, on stderr beside uvicorn's."""
    logger = logging.getLogger("havn")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def instrument_app(app: FastAPI) -> None:
    """Traces every request to the app, continuing the caller's trace (`traceparent`)."""

    def name_service(span: trace.Span, _scope: dict[str, Any]) -> None:
        if span.is_recording():
            span.set_attribute("havn.service", app.title)

    # One span per request: the ASGI receive/send spans would triple the cost and say little.
    FastAPIInstrumentor.instrument_app(
        app, server_request_hook=name_service, exclude_spans=["receive", "send"]
    )


def inject_headers() -> dict[str, str]:
    """The current trace context as message headers (`traceparent`, `tracestate`)."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


def extract_context(headers: Mapping[str, str] | None) -> Context:
    """The trace context a message was published in; empty when it carried none."""
    return propagate.extract(dict(headers or {}))
