"""Event fixtures: a scratch service schema with the event tables, relays and consumers.

The schema is created by the owner, exactly as a service migration would, and everything
under test runs as the application role, bound by row-level security.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from havn.db import APP_ROLE, DatabaseUrls, scoped_transaction, tenant_policy_sql
from havn.events.consumer import ConsumerGroup, Handler, Subscription
from havn.events.contracts import Contract, contract
from havn.events.envelope import STREAM, Envelope
from havn.events.outbox import publish
from havn.events.relay import OutboxRelay
from havn.events.tables import EventTables, event_tables, event_tables_rls_sql, system_transaction

PROBE_SUBJECTS = "havn.probe.>"


@contract("probe.counter.incremented", 1)
class CounterIncrementedV1(Contract):
    """A test-only event, on subjects no service consumes."""

    counter_id: uuid.UUID
    amount: int


@dataclass
class Scratch:
    """A service schema of its own for one test: event tables plus two tenant tables.

    `counters` is the publisher's state, `tallies` the consumer's projection of its events.
    """

    schema: str
    tables: EventTables
    counters: Table
    tallies: Table
    # As the application role (a route), and as the system role (the relay, the consumers).
    sessionmaker: async_sessionmaker[AsyncSession]
    system_sessionmaker: async_sessionmaker[AsyncSession]

    async def increment(
        self, *, tenant: str, counter_id: uuid.UUID, amount: int = 1, fail: bool = False
    ) -> Envelope:
        """Changes a counter and publishes the event in one transaction, as a route would."""
        async with scoped_transaction(self.sessionmaker, tenant=tenant) as session:
            await add_to(session, self.counters, tenant, counter_id, amount)
            envelope = await publish(
                session,
                CounterIncrementedV1(counter_id=counter_id, amount=amount),
                tenant=tenant,
                actor="tester",
                outbox=self.tables.outbox,
            )
            if fail:
                raise RuntimeError("the request fails after publishing")
        return envelope

    async def value(self, table: Table, tenant: str, counter_id: uuid.UUID) -> int | None:
        async with scoped_transaction(self.sessionmaker, tenant=tenant) as session:
            value: int | None = await session.scalar(
                select(table.c.value).where(table.c.id == counter_id)
            )
        return value

    async def outbox_rows(self) -> list[Any]:
        async with system_transaction(self.system_sessionmaker) as session:
            outbox = self.tables.outbox
            return list((await session.execute(select(outbox).order_by(outbox.c.created_at))).all())

    async def dead_letters(self) -> list[Any]:
        async with system_transaction(self.system_sessionmaker) as session:
            return list((await session.execute(select(self.tables.dead_letters))).all())


async def add_to(
    session: AsyncSession, table: Table, tenant: str, counter_id: uuid.UUID, amount: int
) -> None:
    await session.execute(
        insert(table)
        .values(id=counter_id, tenant_id=tenant, value=amount)
        .on_conflict_do_update(index_elements=[table.c.id], set_={"value": table.c.value + amount})
    )


def _counter_table(name: str, metadata: MetaData) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("tenant_id", String(4), nullable=False),
        Column("value", Integer, nullable=False),
    )


@pytest.fixture(scope="session")
async def owner_engine(database: DatabaseUrls) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database.owner, poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest.fixture
async def scratch(
    owner_engine: AsyncEngine,
    app_sessionmaker: async_sessionmaker[AsyncSession],
    system_sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Scratch]:
    schema = f"events_{uuid.uuid4().hex[:10]}"
    metadata = MetaData(schema=schema)
    tables = event_tables(metadata)
    counters, tallies = _counter_table("counters", metadata), _counter_table("tallies", metadata)
    async with owner_engine.begin() as conn:
        await conn.execute(text(f"create schema {schema}"))
        await conn.run_sync(metadata.create_all)
        for statement in [
            *event_tables_rls_sql(schema),
            *tenant_policy_sql(f"{schema}.counters"),
            *tenant_policy_sql(f"{schema}.tallies"),
            f"grant usage on schema {schema} to {APP_ROLE}",
            f"grant select, insert, update, delete on all tables in schema {schema} to {APP_ROLE}",
        ]:
            await conn.execute(text(statement))
    yield Scratch(schema, tables, counters, tallies, app_sessionmaker, system_sessionmaker)
    async with owner_engine.begin() as conn:
        await conn.execute(text(f"drop schema {schema} cascade"))


@pytest.fixture
async def js(nats_client: Client) -> JetStreamContext:
    """The session's JetStream, with earlier tests' probe events purged."""
    js = nats_client.jetstream()
    await js.purge_stream(STREAM, subject=PROBE_SUBJECTS)
    return js


@dataclass
class Runner:
    """Starts relays and consumer groups for one test and stops them all afterwards."""

    scratch: Scratch
    js: JetStreamContext
    relays: list[OutboxRelay] = field(default_factory=list)
    groups: list[tuple[ConsumerGroup, JetStreamContext, list[str]]] = field(default_factory=list)

    async def relay(self, js: JetStreamContext | None = None, **options: Any) -> OutboxRelay:
        relay = OutboxRelay(
            self.scratch.system_sessionmaker, self.scratch.tables.outbox, js or self.js, **options
        )
        await relay.start()
        self.relays.append(relay)
        return relay

    async def consumers(
        self, *handlers: Handler, js: JetStreamContext | None = None, **options: Any
    ) -> tuple[ConsumerGroup, list[str]]:
        """One durable consumer per handler, each on every probe event."""
        durables = [f"probe-{uuid.uuid4().hex[:8]}" for _ in handlers]
        subscriptions = [
            Subscription(durable=durable, subject=PROBE_SUBJECTS, handler=handler)
            for durable, handler in zip(durables, handlers, strict=True)
        ]
        group = ConsumerGroup(
            self.scratch.system_sessionmaker,
            self.scratch.tables.inbox,
            self.scratch.tables.dead_letters,
            js or self.js,
            subscriptions,
            **options,
        )
        await group.start()
        self.groups.append((group, js or self.js, durables))
        return group, durables

    async def stop(self) -> None:
        """Stops everything started so far; calling it again stops nothing twice."""
        groups, self.groups = self.groups, []
        relays, self.relays = self.relays, []
        for group, js, durables in groups:
            await group.stop()
            if js is self.js:
                for durable in durables:
                    await js.delete_consumer(STREAM, durable)
        for relay in relays:
            await relay.stop()


@pytest.fixture
async def runner(scratch: Scratch, js: JetStreamContext) -> AsyncIterator[Runner]:
    runner = Runner(scratch, js)
    yield runner
    await runner.stop()


def counting_handler(
    scratch: Scratch, seen: list[Envelope]
) -> Callable[[AsyncSession, Envelope], Awaitable[None]]:
    """A projection: adds each event's amount to its tally, remembering what it saw."""

    async def apply(session: AsyncSession, envelope: Envelope) -> None:
        seen.append(envelope)
        event = CounterIncrementedV1.from_envelope(envelope)
        await add_to(session, scratch.tallies, envelope.tenant, event.counter_id, event.amount)

    return apply
