"""An event a handler cannot apply yet waits: no inbox row, redelivered, then a dead letter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from nats.js import JetStreamContext
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.consumer import NotYetApplicable, redelivery_delay
from havn.events.envelope import STREAM, Envelope
from havn.events.tables import system_transaction
from tests.events.conftest import CounterIncrementedV1, Runner, Scratch, add_to
from tests.waiting import eventually


@dataclass
class WaitingProjection:
    """A handler whose prerequisite arrives only when the test says so."""

    scratch: Scratch
    ready: bool = False
    attempts: list[uuid.UUID] = field(default_factory=list)

    async def __call__(self, session: AsyncSession, envelope: Envelope) -> None:
        self.attempts.append(envelope.id)
        event = CounterIncrementedV1.from_envelope(envelope)
        # Written before the check: the rollback must take it back.
        await add_to(session, self.scratch.tallies, envelope.tenant, event.counter_id, event.amount)
        if not self.ready:
            raise NotYetApplicable(f"counter {event.counter_id} is not here yet")


async def inbox_rows(scratch: Scratch, event_id: uuid.UUID) -> int:
    async with system_transaction(scratch.system_sessionmaker) as session:
        inbox = scratch.tables.inbox
        count = await session.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.event_id == event_id)
        )
    return count or 0


async def test_a_waiting_event_writes_no_inbox_row_and_is_applied_once_it_can_be(
    scratch: Scratch, runner: Runner
):
    projection = WaitingProjection(scratch)
    await runner.consumers(projection, wait_delay=0.02, max_waits=1000)
    await runner.relay(poll_interval=30)
    counter = uuid.uuid4()
    envelope = await scratch.increment(tenant="4601", counter_id=counter, amount=3)

    # while it cannot be applied, it is delivered again and again, leaving nothing behind
    await eventually(lambda: _attempts(projection), lambda n: n >= 3)
    assert await inbox_rows(scratch, envelope.id) == 0
    assert await scratch.value(scratch.tallies, "4601", counter) is None

    # once it can be, it is applied, exactly once
    projection.ready = True
    await eventually(lambda: scratch.value(scratch.tallies, "4601", counter), lambda v: v == 3)
    await eventually(lambda: inbox_rows(scratch, envelope.id), lambda n: n == 1)
    assert await scratch.dead_letters() == []


async def _attempts(projection: WaitingProjection) -> int:
    return len(projection.attempts)


async def test_an_event_that_waits_too_long_becomes_a_dead_letter(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    projection = WaitingProjection(scratch)
    _, [durable] = await runner.consumers(projection, wait_delay=0.01, max_waits=3, max_deliver=1)
    await runner.relay(poll_interval=30)
    envelope = await scratch.increment(tenant="4601", counter_id=uuid.uuid4())

    [dead_letter] = await eventually(scratch.dead_letters, bool)
    await eventually(
        lambda: js.consumer_info(STREAM, durable),
        lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
    )

    # waiting is bounded by max_waits, not by max_deliver (1): it is no failure
    assert projection.attempts == [envelope.id] * 3
    assert (dead_letter.event_id, dead_letter.tenant_id) == (envelope.id, "4601")
    assert dead_letter.error_type == "NotYetApplicable"
    assert dead_letter.deliveries == 3
    assert await inbox_rows(scratch, envelope.id) == 0


def test_the_wait_between_deliveries_doubles_up_to_its_bound():
    delays = [redelivery_delay(n, first=0.5, longest=30.0) for n in range(1, 10)]

    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
