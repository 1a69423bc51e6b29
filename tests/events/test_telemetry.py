"""Telemetry: one provider per process, and trace context carried in headers."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from havn.telemetry import extract_context, inject_headers, instrument_app, setup_telemetry


def test_setting_up_again_keeps_one_provider_and_exports_each_span_once():
    exporter = InMemorySpanExporter()
    first = setup_telemetry("havn-intake", otlp_endpoint=None, exporter=exporter)
    again = setup_telemetry("havn-care", otlp_endpoint=None, exporter=exporter)

    with trace.get_tracer("tests").start_as_current_span("once"):
        pass

    assert again is first
    assert trace.get_tracer_provider() is first
    assert [span.name for span in exporter.get_finished_spans()] == ["once"]


def test_headers_carry_the_current_trace_across_a_hop():
    setup_telemetry("havn-intake", otlp_endpoint=None)
    with trace.get_tracer("tests").start_as_current_span("publish") as span:
        headers = inject_headers()

    carried = trace.get_current_span(extract_context(headers)).get_span_context()

    assert headers["traceparent"].split("-")[1] == format(span.get_span_context().trace_id, "032x")
    assert carried.trace_id == span.get_span_context().trace_id
    assert carried.span_id == span.get_span_context().span_id
    assert not trace.get_current_span(extract_context(None)).get_span_context().is_valid


async def test_an_instrumented_app_continues_the_callers_trace_and_names_itself():
    exporter = InMemorySpanExporter()
    setup_telemetry("havn-intake", otlp_endpoint=None, exporter=exporter)
    app = FastAPI(title="havn-care")

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    instrument_app(app)
    with trace.get_tracer("tests").start_as_current_span("gateway call") as caller:
        headers = inject_headers()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://care") as client:
        assert (await client.get("/ping", headers=headers)).status_code == 200

    [server] = [s for s in exporter.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert server.context is not None
    assert server.context.trace_id == caller.get_span_context().trace_id
    assert server.attributes is not None
    assert server.attributes["havn.service"] == "havn-care"
