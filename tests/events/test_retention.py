"""Retention: what has served its time is purged, nothing unsent or still needed ever is."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from cli.stack import InProcessStack
from havn.clock import Clock
from havn.config import SERVICES, Settings
from havn.embedded import EmbeddedNats
from havn.events.credentials import ADMIN
from havn.events.envelope import STREAM
from havn.events.retention import INBOX_MARGIN, RetentionSweep, event_purges
from havn.events.stream import DUPLICATE_WINDOW_SECONDS, connect, ensure_stream
from havn.events.tables import system_transaction
from tests.events.conftest import Scratch

STREAM_MAX_AGE = timedelta(days=30)
DUPLICATE_WINDOW = timedelta(seconds=DUPLICATE_WINDOW_SECONDS)


def sweep_of(scratch: Scratch, clock: Clock, *, batch_size: int = 500) -> RetentionSweep:
    return RetentionSweep(
        scratch.system_sessionmaker,
        event_purges(scratch.tables, stream_max_age=STREAM_MAX_AGE),
        clock,
        interval=60,
        batch_size=batch_size,
    )


async def mark_sent(scratch: Scratch, event_id: uuid.UUID) -> None:
    outbox = scratch.tables.outbox
    async with system_transaction(scratch.system_sessionmaker) as session:
        await session.execute(
            update(outbox).where(outbox.c.id == event_id).values(sent_at=func.now())
        )


async def inbox_event_ids(scratch: Scratch) -> set[uuid.UUID]:
    async with system_transaction(scratch.system_sessionmaker) as session:
        return set(await session.scalars(select(scratch.tables.inbox.c.event_id)))


async def receive(scratch: Scratch, count: int) -> set[uuid.UUID]:
    """Inbox rows as a consumer writes them, received now, in two tenants."""
    event_ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {"consumer": "probe", "event_id": event_id, "tenant_id": ("4601", "3203")[n % 2]}
        for n, event_id in enumerate(event_ids)
    ]
    async with system_transaction(scratch.system_sessionmaker) as session:
        await session.execute(insert(scratch.tables.inbox), rows)
    return set(event_ids)


async def test_sent_outbox_rows_go_after_the_duplicate_window_and_unsent_rows_never_go(
    scratch: Scratch,
) -> None:
    clock = Clock()
    sent = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    unsent = await scratch.increment(tenant="3203", counter_id=uuid.uuid4())
    await mark_sent(scratch, sent.id)
    sweep = sweep_of(scratch, clock)

    await sweep.run_once()
    assert {row.id for row in await scratch.outbox_rows()} == {sent.id, unsent.id}

    clock.advance(DUPLICATE_WINDOW + timedelta(seconds=1))
    purged = await sweep.run_once()
    assert [row.id for row in await scratch.outbox_rows()] == [unsent.id]
    assert purged["sent outbox rows"] == 1

    clock.advance(timedelta(days=3650))
    await sweep.run_once()
    assert [row.id for row in await scratch.outbox_rows()] == [unsent.id]


async def test_inbox_rows_stay_as_long_as_the_stream_keeps_events_and_older_ones_go(
    scratch: Scratch,
) -> None:
    clock = Clock()
    received = await receive(scratch, 5)
    # Batches of two: five rows take three, and the sweep goes on until none is left.
    sweep = sweep_of(scratch, clock, batch_size=2)

    clock.advance(STREAM_MAX_AGE)
    await sweep.run_once()
    assert await inbox_event_ids(scratch) == received

    clock.advance(INBOX_MARGIN + timedelta(seconds=1))
    purged = await sweep.run_once()
    assert await inbox_event_ids(scratch) == set()
    assert purged["inbox rows"] == 5


async def test_dead_letters_stay_until_replayed_and_replayed_ones_go_with_the_inbox(
    scratch: Scratch,
) -> None:
    clock = Clock()
    table = scratch.tables.dead_letters
    letter = {
        "consumer": "probe",
        "subject": "havn.probe.counter.incremented.4601",
        "tenant_id": "4601",
        "payload": {},
        "headers": {},
        "error_type": "RuntimeError",
        "error": "RuntimeError: broken",
        "deliveries": 5,
    }
    async with system_transaction(scratch.system_sessionmaker) as session:
        parked = await session.scalar(
            insert(table).values(event_id=uuid.uuid4(), **letter).returning(table.c.id)
        )
        await session.execute(
            insert(table).values(event_id=uuid.uuid4(), replayed_at=func.now(), **letter)
        )
    sweep = sweep_of(scratch, clock)

    clock.advance(STREAM_MAX_AGE + INBOX_MARGIN + timedelta(seconds=1))
    await sweep.run_once()
    assert [row.id for row in await scratch.dead_letters()] == [parked]

    clock.advance(timedelta(days=3650))
    await sweep.run_once()
    assert [row.id for row in await scratch.dead_letters()] == [parked]


async def test_ensure_stream_sets_max_age_and_max_bytes_and_updates_an_existing_stream(
    tmp_path: Path,
) -> None:
    server = EmbeddedNats(tmp_path / "jetstream", sync_always=False).start()
    client, js = await connect(server.url, user=ADMIN, credentials_dir=server.credentials_dir)
    try:
        await ensure_stream(js, max_age=timedelta(days=30), max_bytes=10 * 1024**3)
        created = (await js.stream_info(STREAM)).config
        await ensure_stream(js, max_age=timedelta(days=7), max_bytes=1024**3)
        updated = (await js.stream_info(STREAM)).config
    finally:
        await client.close()
        server.stop()

    assert (created.max_age, created.max_bytes) == (30 * 86400, 10 * 1024**3)
    assert (updated.max_age, updated.max_bytes) == (7 * 86400, 1024**3)


async def test_the_services_give_the_stream_the_configured_max_age_and_max_bytes(
    stack: InProcessStack,
) -> None:
    settings = Settings()
    js = stack.apps["care"].state.nats.jetstream()

    config = (await js.stream_info(STREAM)).config

    assert config.max_age == settings.stream_max_age_days * 86400
    assert config.max_bytes == settings.stream_max_bytes


async def test_every_service_sweeps_its_own_event_tables_and_idempotency_keys(
    stack: InProcessStack,
) -> None:
    for name in SERVICES:
        app = stack.apps[name]
        swept = {purge.table for purge in app.state.retention.purges}
        tables = app.state.event_tables
        keys = app.state.idempotency.table
        assert swept == {tables.outbox, tables.inbox, tables.dead_letters, keys}, name
