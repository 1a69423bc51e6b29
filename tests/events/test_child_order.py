"""Each consumer applies one child's events in intake's order (`revision`), whatever order
they arrive in: a stale one is skipped, one ahead of its turn waits (`NotYetApplicable`).

The handlers of care, transition and community run as their consumers run them: in the
event's tenant, against PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import scoped_transaction
from havn.events.consumer import Handler, NotYetApplicable
from havn.events.contracts import ChildRelocatedV1, ChildUpdatedV1, Contract
from havn.events.envelope import Envelope
from services.care import events as care
from services.care.models import Child as CareChild
from services.community import events as community
from services.community.models import Child as CommunityChild
from services.transition import events as transition
from services.transition.models import Child as TransitionChild
from tests.factories import ASKER, BERGEN, child_settled


@dataclass(frozen=True)
class Consumer:
    """One service's handlers of intake's child events and its projection of the child."""

    settled: Handler
    updated: Handler
    relocated: Handler
    projection: Any


CONSUMERS = {
    "care": Consumer(
        care.open_care_for_settled_child,
        care.follow_child_identity,
        care.hand_over_relocated_child,
        CareChild,
    ),
    "transition": Consumer(
        transition.open_transition_for_settled_child,
        transition.follow_corrected_date_of_birth,
        transition.move_relocated_child,
        TransitionChild,
    ),
    "community": Consumer(
        community.project_settled_child,
        community.project_updated_child,
        community.follow_relocated_child,
        CommunityChild,
    ),
}
BORN = date(2010, 5, 17)


@pytest.fixture(params=list(CONSUMERS))
def consumer(request: pytest.FixtureRequest) -> Consumer:
    return CONSUMERS[request.param]


def envelope_of(contract: Contract, tenant: str) -> Envelope:
    return Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor="intake",
        data=contract.model_dump(mode="json"),
    )


def updated(child_id: uuid.UUID, born: date, revision: int | None, tenant: str) -> Envelope:
    return envelope_of(
        ChildUpdatedV1(
            child_id=child_id,
            first_name="Amina",
            full_name="Amina Rahimi",
            date_of_birth=born,
            date_of_birth_estimated=False,
            sex="F",
            nationality="AF",
            languages=["prs"],
            care_arrangement="GROUP_HOME",
            revision=revision,
        ),
        tenant,
    )


def relocated(child_id: uuid.UUID, revision: int) -> Envelope:
    return envelope_of(
        ChildRelocatedV1(
            child_id=child_id,
            from_tenant=BERGEN,
            to_tenant=ASKER,
            relocated_on=date(2026, 12, 1),
            revision=revision,
        ),
        BERGEN,
    )


async def handle(
    sessionmaker: async_sessionmaker[AsyncSession], handler: Handler, envelope: Envelope
) -> None:
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await handler(session, envelope)


async def projected(
    sessionmaker: async_sessionmaker[AsyncSession], consumer: Consumer, child_id: uuid.UUID, tenant
) -> tuple[date, int] | None:
    """The child's date of birth and revision as the service keeps them in `tenant`."""
    model = consumer.projection
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        row = (
            await session.execute(
                select(model.date_of_birth, model.revision).where(model.id == child_id)
            )
        ).one_or_none()
    return None if row is None else (row.date_of_birth, row.revision)


async def settle(sessionmaker: async_sessionmaker[AsyncSession], consumer: Consumer) -> uuid.UUID:
    envelope = child_settled(tenant=BERGEN, date_of_birth=BORN)
    await handle(sessionmaker, consumer.settled, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def test_an_update_ahead_of_its_turn_waits_and_a_stale_one_is_skipped(
    app_sessionmaker, consumer: Consumer
):
    child_id = await settle(app_sessionmaker, consumer)
    second, third = date(2010, 6, 1), date(2010, 7, 1)

    # revision 3 before 2: it waits, and changes nothing
    with pytest.raises(NotYetApplicable):
        await handle(app_sessionmaker, consumer.updated, updated(child_id, third, 3, BERGEN))
    assert await projected(app_sessionmaker, consumer, child_id, BERGEN) == (BORN, 1)

    # 2, then 3 again: both applied in turn
    await handle(app_sessionmaker, consumer.updated, updated(child_id, second, 2, BERGEN))
    await handle(app_sessionmaker, consumer.updated, updated(child_id, third, 3, BERGEN))
    assert await projected(app_sessionmaker, consumer, child_id, BERGEN) == (third, 3)

    # a stale revision 2 arriving late is skipped
    await handle(app_sessionmaker, consumer.updated, updated(child_id, second, 2, BERGEN))
    assert await projected(app_sessionmaker, consumer, child_id, BERGEN) == (third, 3)


async def test_the_update_after_a_relocation_waits_for_the_child_to_arrive(
    app_sessionmaker, consumer: Consumer
):
    child_id = await settle(app_sessionmaker, consumer)
    corrected = date(2010, 8, 1)

    # the receiving municipality hears of the update before the child has moved there
    with pytest.raises(NotYetApplicable):
        await handle(app_sessionmaker, consumer.updated, updated(child_id, corrected, 3, ASKER))

    await handle(app_sessionmaker, consumer.relocated, relocated(child_id, 2))
    await handle(app_sessionmaker, consumer.updated, updated(child_id, corrected, 3, ASKER))

    assert await projected(app_sessionmaker, consumer, child_id, ASKER) == (corrected, 3)
    assert await projected(app_sessionmaker, consumer, child_id, BERGEN) is None


async def test_a_relocation_heard_before_the_settlement_waits(app_sessionmaker, consumer: Consumer):
    envelope = child_settled(tenant=BERGEN, date_of_birth=BORN)
    child_id = uuid.UUID(envelope.data["child_id"])

    with pytest.raises(NotYetApplicable):
        await handle(app_sessionmaker, consumer.relocated, relocated(child_id, 2))
    await handle(app_sessionmaker, consumer.settled, envelope)
    await handle(app_sessionmaker, consumer.relocated, relocated(child_id, 2))

    assert await projected(app_sessionmaker, consumer, child_id, ASKER) == (BORN, 2)


async def test_an_update_without_a_revision_is_applied_as_before(
    app_sessionmaker, consumer: Consumer
):
    child_id = await settle(app_sessionmaker, consumer)
    corrected = date(2010, 9, 1)

    await handle(app_sessionmaker, consumer.updated, updated(child_id, corrected, None, BERGEN))

    assert await projected(app_sessionmaker, consumer, child_id, BERGEN) == (corrected, 1)
