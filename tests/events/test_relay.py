"""The relay: committed outbox rows reach JetStream once, promptly, and survive a NATS outage."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections import Counter
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from havn.embedded import EmbeddedNats, EmbeddedPostgres
from havn.events.credentials import ADMIN
from havn.events.envelope import STREAM, Envelope
from havn.events.relay import OutboxRelay
from havn.events.stream import connect, ensure_stream
from havn.events.tables import outbox_channel, system_transaction
from tests.events.conftest import PROBE_SUBJECTS, Runner, Scratch, counting_handler
from tests.waiting import eventually

# Longer than any test runs: a relay polling this seldom sends an event only when woken.
NEVER = 3600.0


def all_sent(rows: list) -> bool:
    return bool(rows) and all(row.sent_at is not None for row in rows)


async def sent_and_idle(scratch: Scratch) -> Envelope:
    """An event the relay has sent; afterwards it waits, until woken or NEVER has passed."""
    envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    await eventually(scratch.outbox_rows, all_sent)
    return envelope


async def test_relay_sends_on_commit_with_the_event_id_as_msg_id(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    # given a relay that never polls, idle after sending a first event
    await runner.relay(poll_interval=NEVER)
    first = await sent_and_idle(scratch)
    reader = await js.pull_subscribe(PROBE_SUBJECTS, stream=STREAM)

    # when an event commits, then only the NOTIFY of the commit can have made it leave
    envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    [before] = await reader.fetch(1, timeout=10)
    [message] = await reader.fetch(1, timeout=10)

    assert Envelope.model_validate_json(before.data).id == first.id
    assert message.subject == "havn.probe.counter.incremented.4601"
    assert message.headers is not None
    assert message.headers["Nats-Msg-Id"] == str(envelope.id)
    assert Envelope.model_validate_json(message.data) == envelope
    rows = await eventually(scratch.outbox_rows, all_sent)
    assert [row.attempts for row in rows] == [0, 0]
    await reader.unsubscribe()


async def test_relay_listens_again_after_losing_its_connection(
    scratch: Scratch, runner: Runner, js: JetStreamContext, postgres_server: EmbeddedPostgres
):
    # given a relay that never polls, whose LISTEN connection is cut
    await runner.relay(poll_interval=NEVER)
    superuser = create_async_engine(postgres_server.superuser_url, poolclass=NullPool)
    async with superuser.connect() as conn:
        terminated = await conn.scalar(
            text(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                " where query = :listen"
            ),
            {"listen": f'LISTEN "{outbox_channel(scratch.tables.outbox)}"'},
        )
    await superuser.dispose()
    assert terminated == 1
    # and that has sent an event since and waits again
    first = await sent_and_idle(scratch)
    reader = await js.pull_subscribe(PROBE_SUBJECTS, stream=STREAM)

    # when an event commits, then it leaves, as only a NOTIFY on a new LISTEN can make it
    envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    [before] = await reader.fetch(1, timeout=10)
    [message] = await reader.fetch(1, timeout=10)

    assert Envelope.model_validate_json(before.data).id == first.id
    assert message.headers is not None
    assert message.headers["Nats-Msg-Id"] == str(envelope.id)
    await reader.unsubscribe()


async def test_a_row_sent_again_after_a_crash_is_stored_once(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    await runner.relay(poll_interval=30)
    first = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    await eventually(scratch.outbox_rows, all_sent)
    # As if the relay had died after JetStream's ack and before marking the row sent.
    async with system_transaction(scratch.system_sessionmaker) as session:
        outbox = scratch.tables.outbox
        await session.execute(update(outbox).where(outbox.c.id == first.id).values(sent_at=None))

    second = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    await eventually(scratch.outbox_rows, all_sent)

    reader = await js.pull_subscribe(PROBE_SUBJECTS, stream=STREAM)
    stored = await reader.fetch(10, timeout=2)
    assert [Envelope.model_validate_json(m.data).id for m in stored] == [first.id, second.id]
    await reader.unsubscribe()


async def test_two_relays_never_send_one_row_twice(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    events = 60
    for _ in range(events):
        await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    # A core subscription sees every publication, even those JetStream de-duplicates.
    wire = await js._nc.subscribe(PROBE_SUBJECTS)

    await runner.relay(batch_size=5, poll_interval=30)
    await runner.relay(batch_size=5, poll_interval=30)
    await eventually(scratch.outbox_rows, all_sent)
    await js._nc.flush()  # the relays publish on this connection: all is routed before PONG

    published = [await wire.next_msg(timeout=1) for _ in range(wire.pending_msgs)]
    sent = Counter(message.headers["Nats-Msg-Id"] for message in published if message.headers)
    assert len(sent) == events
    assert set(sent.values()) == {1}
    await wire.unsubscribe()


async def test_events_written_while_nats_is_down_arrive_when_it_returns(
    scratch: Scratch, runner: Runner, tmp_path: Path
):
    server = EmbeddedNats(tmp_path / "jetstream", sync_always=False).start()
    client, js = await connect(server.url, user=ADMIN, credentials_dir=server.credentials_dir)
    try:
        await ensure_stream(js)
        seen: list[Envelope] = []
        await runner.consumers(counting_handler(scratch, seen), js=js)
        await runner.relay(js=js, poll_interval=30, publish_timeout=0.5)
        counter = uuid.uuid4()
        before = await scratch.increment(tenant="4601", counter_id=counter)
        await eventually(lambda: scratch.value(scratch.tallies, "4601", counter), lambda v: v == 1)

        server.stop()
        during = [await scratch.increment(tenant="4601", counter_id=counter) for _ in range(3)]
        # The relay has tried and failed: these rows really were written during the outage.
        await eventually(scratch.outbox_rows, lambda rows: rows[1].attempts >= 1)
        server = EmbeddedNats(server.store_dir, port=server.port, sync_always=False).start()

        await eventually(
            lambda: scratch.value(scratch.tallies, "4601", counter), lambda v: v == 4, within=15
        )
        await eventually(scratch.outbox_rows, all_sent)
        assert sorted(e.id for e in seen) == sorted(e.id for e in [before, *during])
    finally:
        await runner.stop()
        await client.close()
        server.stop()


async def test_the_relay_cuts_its_backoff_short_when_nats_reconnects(
    scratch: Scratch, runner: Runner, tmp_path: Path
):
    server = EmbeddedNats(tmp_path / "jetstream", sync_always=False).start()
    relay: OutboxRelay | None = None

    async def reconnected() -> None:
        assert relay is not None
        await relay.nats_reconnected()

    client, js = await connect(
        server.url, user=ADMIN, credentials_dir=server.credentials_dir, on_reconnected=reconnected
    )
    try:
        await ensure_stream(js)
        # After one failure the relay would wait a minute: longer than the test waits.
        relay = await runner.relay(
            js=js, poll_interval=30, publish_timeout=0.3, first_backoff=60, max_backoff=60
        )
        server.stop()
        await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
        await eventually(scratch.outbox_rows, lambda rows: rows[0].attempts == 1)
        assert relay.failures == 1

        server = EmbeddedNats(server.store_dir, port=server.port, sync_always=False).start()

        [row] = await eventually(scratch.outbox_rows, all_sent, within=15)
        # Sent at the first try after NATS came back, not after the minute's backoff.
        assert row.attempts == 1
        assert relay.failures == 0
    finally:
        await runner.stop()
        await client.close()
        server.stop()


async def test_a_relay_failing_again_and_again_logs_once_with_a_traceback(
    scratch: Scratch, runner: Runner, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    server = EmbeddedNats(tmp_path / "jetstream", sync_always=False).start()
    client, js = await connect(server.url, user=ADMIN, credentials_dir=server.credentials_dir)
    try:
        await ensure_stream(js)
        server.stop()
        with caplog.at_level(logging.WARNING, logger="havn.events"):
            relay = await runner.relay(
                js=js, poll_interval=30, publish_timeout=0.05, first_backoff=0.01, max_backoff=0.01
            )
            await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
            await eventually(lambda: _async(relay.failures), lambda failures: failures >= 10)
            await runner.stop()
    finally:
        with contextlib.suppress(ConnectionError):  # its server is gone
            await client.close()
        server.stop()

    [logged] = [record for record in caplog.records if "relay" in record.getMessage()]
    assert logged.exc_info is not None


async def _async(value: int) -> int:
    return value
