"""The outbox: an event is written in the same transaction as the change it reports."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select, text

from havn.db import scoped_transaction
from havn.events.outbox import publish
from havn.events.tables import outbox_channel
from tests.events.conftest import CounterIncrementedV1, Scratch


async def test_outbox_row_commits_with_the_state_change(scratch: Scratch):
    counter = uuid.uuid4()

    envelope = await scratch.increment(tenant="4601", counter_id=counter, amount=3)

    assert await scratch.value(scratch.counters, "4601", counter) == 3
    [row] = await scratch.outbox_rows()
    assert row.id == envelope.id
    assert row.subject == "havn.probe.counter.incremented.4601"
    assert (row.event_type, row.version, row.tenant_id) == ("probe.counter.incremented", 1, "4601")
    assert row.payload == envelope.model_dump(mode="json")
    assert row.payload["data"] == {"counter_id": str(counter), "amount": 3}
    assert row.sent_at is None


async def test_rolled_back_transaction_leaves_no_event(scratch: Scratch):
    counter = uuid.uuid4()

    with pytest.raises(RuntimeError):
        await scratch.increment(tenant="4601", counter_id=counter, fail=True)

    assert await scratch.value(scratch.counters, "4601", counter) is None
    assert await scratch.outbox_rows() == []


async def test_publish_notifies_the_relay_channel_only_on_commit(scratch: Scratch, app_engine):
    notified: list[str] = []

    def on_notify(_connection: object, _pid: int, channel: str, _payload: str) -> None:
        notified.append(channel)

    async with app_engine.connect() as listener:
        await listener.execution_options(isolation_level="AUTOCOMMIT")
        driver = (await listener.get_raw_connection()).driver_connection
        await driver.add_listener(outbox_channel(scratch.tables.outbox), on_notify)
        try:
            with pytest.raises(RuntimeError):
                await scratch.increment(tenant="4601", counter_id=uuid.uuid4(), fail=True)
            await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
            # PostgreSQL sends a notification before the answer to a later query.
            await driver.execute("select 1")
        finally:
            await listener.invalidate()

    assert notified == [f"havn_outbox_{scratch.schema}"]


async def test_publish_costs_one_statement(scratch: Scratch):
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = scratch.sessionmaker.kw["bind"].sync_engine
    async with scoped_transaction(scratch.sessionmaker, tenant="4601") as session:
        event.listen(engine, "before_cursor_execute", record)
        try:
            await publish(
                session,
                CounterIncrementedV1(counter_id=uuid.uuid4(), amount=1),
                tenant="4601",
                actor="tester",
                outbox=scratch.tables.outbox,
            )
        finally:
            event.remove(engine, "before_cursor_execute", record)

    assert len(statements) == 1
    assert "INSERT INTO" in statements[0]
    assert "pg_notify" in statements[0]


async def test_outbox_rows_are_tenant_isolated_except_for_the_system_scope(scratch: Scratch):
    await scratch.increment(tenant="4601", counter_id=uuid.uuid4())
    await scratch.increment(tenant="3203", counter_id=uuid.uuid4())
    outbox = scratch.tables.outbox

    async with scoped_transaction(scratch.sessionmaker, tenant="4601") as session:
        visible = (await session.scalars(select(outbox.c.tenant_id))).all()
    async with scoped_transaction(scratch.sessionmaker, tenant=None) as session:
        unscoped = (await session.scalars(select(outbox.c.tenant_id))).all()
        # The system flag is only as good as its transaction-local setting.
        assert await session.scalar(text("select current_setting('havn.system', true)")) in (
            None,
            "",
            "off",
        )

    assert visible == ["4601"]
    assert unscoped == []
    assert sorted(row.tenant_id for row in await scratch.outbox_rows()) == ["3203", "4601"]
