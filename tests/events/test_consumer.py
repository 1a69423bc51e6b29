"""Consumers: each event applied once, in its tenant, in the trace that published it."""

from __future__ import annotations

import uuid

import pytest
from nats.js import JetStreamContext
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from havn.db import scoped_transaction
from havn.events.envelope import STREAM, Envelope
from havn.telemetry import setup_telemetry
from tests.events.conftest import (
    CounterIncrementedV1,
    Runner,
    Scratch,
    add_to,
    counting_handler,
)
from tests.waiting import eventually


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    setup_telemetry("havn-events-test", otlp_endpoint=None, exporter=exporter)
    return exporter


async def test_an_event_delivered_twice_is_applied_once(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    seen: list[Envelope] = []
    _, [durable] = await runner.consumers(counting_handler(scratch, seen))
    counter = uuid.uuid4()
    envelope = Envelope(
        type="probe.counter.incremented",
        version=1,
        tenant="4601",
        actor="tester",
        data=CounterIncrementedV1(counter_id=counter, amount=5).model_dump(mode="json"),
    )

    # Two message ids get past JetStream's de-duplication: only the inbox stands in the way.
    for copy in ("first", "second"):
        ack = await js.publish(
            envelope.subject,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": f"{envelope.id}-{copy}"},
        )
    await eventually(
        lambda: js.consumer_info(STREAM, durable), lambda info: info.ack_floor.stream_seq >= ack.seq
    )

    assert [e.id for e in seen] == [envelope.id]
    assert await scratch.value(scratch.tallies, "4601", counter) == 5


async def test_handler_runs_bound_to_the_events_tenant(scratch: Scratch, runner: Runner):
    for tenant in ("4601", "3203", "3203"):
        async with scoped_transaction(scratch.sessionmaker, tenant=tenant) as session:
            await add_to(session, scratch.tallies, tenant, uuid.uuid4(), 1)
    observed: list[tuple[str | None, int | None]] = []

    async def observe(session: AsyncSession, envelope: Envelope) -> None:
        tenant = await session.scalar(text("select current_setting('havn.tenant', true)"))
        visible = await session.scalar(select(func.count()).select_from(scratch.tallies))
        observed.append((tenant, visible))
        event = CounterIncrementedV1.from_envelope(envelope)
        await add_to(session, scratch.tallies, envelope.tenant, event.counter_id, event.amount)

    await runner.consumers(observe)
    await runner.relay(poll_interval=30)
    counter = uuid.uuid4()
    await scratch.increment(tenant="3203", counter_id=counter, amount=2)

    await eventually(lambda: scratch.value(scratch.tallies, "3203", counter), lambda v: v == 2)
    assert observed == [("3203", 2)]


async def test_trace_flows_from_the_publishing_request_to_the_consumer(
    scratch: Scratch, runner: Runner, spans: InMemorySpanExporter
):
    await runner.consumers(counting_handler(scratch, []))
    await runner.relay(poll_interval=30)
    tracer = trace.get_tracer("tests.events")

    with tracer.start_as_current_span("register arrival", kind=SpanKind.SERVER) as request:
        envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())

    async def consumer_spans() -> list[ReadableSpan]:
        return [
            span
            for span in spans.get_finished_spans()
            if span.kind == SpanKind.CONSUMER
            and span.attributes
            and span.attributes.get("messaging.message.id") == str(envelope.id)
        ]

    [consumed] = await eventually(consumer_spans, bool)
    published_in = request.get_span_context()
    [row] = await scratch.outbox_rows()
    assert format(published_in.trace_id, "032x") in row.headers["traceparent"]
    assert consumed.context is not None and consumed.parent is not None
    assert consumed.context.trace_id == published_in.trace_id
    assert consumed.parent.span_id == published_in.span_id
    assert consumed.attributes is not None
    assert consumed.attributes["havn.tenant"] == "4601"
