"""One trace follows a settlement from the gateway, through intake, across NATS to consumers."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from havn.telemetry import setup_telemetry
from tests.factories import settle_child
from tests.waiting import eventually


@pytest.fixture(scope="module")
def spans():
    exporter = InMemorySpanExporter()
    setup_telemetry("havn-tests", otlp_endpoint=None, exporter=exporter)
    return exporter


async def test_one_trace_runs_from_the_gateway_to_the_event_consumers(gql, stack, spans):
    # given spans are being recorded
    spans.clear()

    # when a child is settled through the gateway
    child = await settle_child(gql, stack.clock.today())

    # then the consumers of child.settled in care and transition continue the trace that
    # the gateway started for the registerArrival request
    async def consumers_of_settled():
        return [
            s
            for s in spans.get_finished_spans()
            if s.kind == SpanKind.CONSUMER and ".child.settled." in s.name
        ]

    consumed = await eventually(consumers_of_settled, until=lambda found: len(found) >= 3)
    durables = {s.attributes["messaging.consumer.group.name"] for s in consumed}
    assert {"care-child-settled", "transition-child-settled"} <= durables
    [trace_id] = {s.context.trace_id for s in consumed}
    in_trace = [s for s in spans.get_finished_spans() if s.context.trace_id == trace_id]
    services = {s.attributes.get("havn.service") for s in in_trace if s.kind == SpanKind.SERVER}
    assert {"havn-gateway", "havn-intake"} <= services
    assert child["id"]
