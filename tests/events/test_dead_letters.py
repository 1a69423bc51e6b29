"""Dead letters: a failing event is parked after `max_deliver`, then replayed exactly once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal, Role
from havn.auth.dependencies import current_principal
from havn.errors import Conflict
from havn.events.consumer import ConsumerGroup
from havn.events.dead_letters import dead_letter_router, list_dead_letters, replay_dead_letter
from havn.events.envelope import STREAM, Envelope
from havn.events.tables import system_transaction
from havn.http import install_error_handlers
from tests.events.conftest import CounterIncrementedV1, Runner, Scratch, add_to
from tests.waiting import eventually

MAX_DELIVER = 3


@dataclass
class BrokenProjection:
    """A handler that fails until it is fixed, counting every attempt."""

    scratch: Scratch
    broken: bool = True
    attempts: list[uuid.UUID] = field(default_factory=list)

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        self.attempts.append(envelope.id)
        event = CounterIncrementedV1.from_envelope(envelope)
        await add_to(session, self.scratch.tallies, envelope.tenant, event.counter_id, event.amount)
        if self.broken:
            raise RuntimeError(f"projection of counter {event.counter_id} is broken")


@dataclass
class Parked:
    group: ConsumerGroup
    projection: BrokenProjection
    envelope: Envelope
    dead_letter_id: uuid.UUID


@pytest.fixture
async def parked(scratch: Scratch, runner: Runner, js: JetStreamContext) -> AsyncIterator[Parked]:
    """One event whose handler failed `MAX_DELIVER` times."""
    projection = BrokenProjection(scratch)
    group, [durable] = await runner.consumers(projection, max_deliver=MAX_DELIVER, nak_delay=0.05)
    await runner.relay(poll_interval=30)
    envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4(), amount=7)
    [dead_letter] = await eventually(scratch.dead_letters, bool)
    # Terminated: JetStream will not deliver it again.
    await eventually(
        lambda: js.consumer_info(STREAM, durable),
        lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
    )
    yield Parked(group, projection, envelope, dead_letter.id)


async def test_a_failing_event_is_parked_after_max_deliver(scratch: Scratch, parked: Parked):
    [dead_letter] = await scratch.dead_letters()

    assert parked.projection.attempts == [parked.envelope.id] * MAX_DELIVER
    assert dead_letter.deliveries == MAX_DELIVER
    assert dead_letter.event_id == parked.envelope.id
    assert dead_letter.tenant_id == "4601"
    assert dead_letter.subject == parked.envelope.subject
    assert dead_letter.error_type == "RuntimeError"
    assert "is broken" in dead_letter.error
    assert Envelope.model_validate(dead_letter.payload) == parked.envelope
    assert dead_letter.replayed_at is None
    counter = CounterIncrementedV1.from_envelope(parked.envelope).counter_id
    assert await scratch.value(scratch.tallies, "4601", counter) is None  # rolled back each time


async def test_a_dead_letter_is_replayed_exactly_once_after_the_fix(
    scratch: Scratch, parked: Parked
):
    counter = CounterIncrementedV1.from_envelope(parked.envelope).counter_id
    with pytest.raises(Conflict, match="failed again"):
        await replay_dead_letter(parked.group, parked.dead_letter_id)
    parked.projection.broken = False

    replayed = await replay_dead_letter(parked.group, parked.dead_letter_id)
    with pytest.raises(Conflict, match="replayed or discarded already"):
        await replay_dead_letter(parked.group, parked.dead_letter_id)

    assert replayed.replayed_at is not None
    assert await scratch.value(scratch.tallies, "4601", counter) == 7
    assert len(parked.projection.attempts) == MAX_DELIVER + 2


async def test_dead_letters_are_listed_newest_first_across_tenants(
    scratch: Scratch, parked: Parked, runner: Runner
):
    await scratch.increment(tenant="3203", counter_id=uuid.uuid4())
    await eventually(scratch.dead_letters, lambda rows: len(rows) == 2)

    async with system_transaction(scratch.system_sessionmaker) as session:
        first = await list_dead_letters(session, scratch.tables.dead_letters, first=1, after=None)
        rest = await list_dead_letters(
            session, scratch.tables.dead_letters, first=1, after=first.end_cursor
        )

    assert first.total_count == 2
    assert first.has_next_page and not rest.has_next_page
    assert [item.tenant for item in first.items + rest.items] == ["3203", "4601"]
    assert rest.items[0].id == parked.dead_letter_id
    assert rest.items[0].event_type == "probe.counter.incremented"


def principal_with(role: Role) -> Principal:
    return Principal(subject=f"{role}-1", username=role.value, roles=frozenset({role}))


async def operator_client(group: ConsumerGroup, role: Role) -> httpx.AsyncClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(dead_letter_router())
    app.state.consumers = group
    app.dependency_overrides[current_principal] = lambda: principal_with(role)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")


async def test_only_a_platform_admin_sees_and_replays_dead_letters(parked: Parked):
    parked.projection.broken = False
    replay = f"/v1/dead-letters/{parked.dead_letter_id}/replay"

    async with await operator_client(parked.group, Role.MUNICIPALITY_ADMIN) as client:
        assert (await client.get("/v1/dead-letters")).status_code == 403
        assert (await client.post(replay)).status_code == 403
    assert len(parked.projection.attempts) == MAX_DELIVER

    async with await operator_client(parked.group, Role.PLATFORM_ADMIN) as client:
        listed = await client.get("/v1/dead-letters", params={"first": 10})
        replayed = await client.post(replay)
        again = await client.post(replay)

    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["id"] == str(parked.dead_letter_id)
    # The operator is cleared for no personal data: neither the event nor the error message.
    assert "payload" not in item and "error" not in item
    assert replayed.status_code == 200 and replayed.json()["replayed_at"] is not None
    assert again.status_code == 409 and again.json()["code"] == "CONFLICT"


async def test_only_a_platform_admin_discards_a_dead_letter_and_the_discard_is_logged(
    scratch: Scratch, parked: Parked, caplog: pytest.LogCaptureFixture
):
    discard = f"/v1/dead-letters/{parked.dead_letter_id}"

    async with await operator_client(parked.group, Role.MUNICIPALITY_ADMIN) as client:
        refused = await client.delete(discard)
    assert refused.status_code == 403
    assert [row.id for row in await scratch.dead_letters()] == [parked.dead_letter_id]

    with caplog.at_level("WARNING", logger="havn.events"):
        async with await operator_client(parked.group, Role.PLATFORM_ADMIN) as client:
            discarded = await client.delete(discard)
            again = await client.delete(discard)

    assert discarded.status_code == 200 and discarded.json()["id"] == str(parked.dead_letter_id)
    assert again.status_code == 404
    assert await scratch.dead_letters() == []
    [logged] = [record for record in caplog.records if "discarded" in record.getMessage()]
    assert str(parked.dead_letter_id) in logged.getMessage()
    assert principal_with(Role.PLATFORM_ADMIN).subject in logged.getMessage()
    assert str(parked.envelope.id) in logged.getMessage()


@dataclass
class DroppedConnection:
    """A handler whose database connection is dropped under it (as when PostgreSQL restarts)
    on its first `drops` deliveries, then applies the event."""

    scratch: Scratch
    drops: int
    attempts: int = 0

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        self.attempts += 1
        if self.attempts <= self.drops:
            await session.execute(text("select pg_terminate_backend(pg_backend_pid())"))
        event = CounterIncrementedV1.from_envelope(envelope)
        await add_to(session, self.scratch.tallies, envelope.tenant, event.counter_id, event.amount)


async def test_an_event_failing_while_the_database_is_away_waits_for_it_and_is_never_parked(
    scratch: Scratch, runner: Runner
):
    # given a consumer that parks a failing event at its third delivery, and whose database
    # connection is dropped on more deliveries than that
    projection = DroppedConnection(scratch, drops=MAX_DELIVER + 2)
    await runner.consumers(projection, max_deliver=MAX_DELIVER, nak_delay=0.05, wait_delay=0.05)
    await runner.relay(poll_interval=30)
    counter = uuid.uuid4()

    # when an event arrives
    await scratch.increment(tenant="4601", counter_id=counter, amount=7)

    # then it is applied, once, when the database answers again, and nothing is parked
    assert await eventually(lambda: scratch.value(scratch.tallies, "4601", counter), bool) == 7
    assert projection.attempts == MAX_DELIVER + 3
    assert await scratch.dead_letters() == []
