"""A relocation followed at once by updates, 200 times over, through the running stack:
care, transition and community each end with every child's last update, in its new
municipality. Their consumers of child.relocated and child.updated run side by side, so
the updates are routinely heard before the child has arrived: they wait, none is lost.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import act_in_tenant, scoped_transaction
from havn.events.contracts import ChildRelocatedV1, ChildSettledV1, ChildUpdatedV1, Contract
from havn.events.outbox import publish
from services.care.models import Child as CareChild
from services.community.models import Child as CommunityChild
from services.intake.models import events as intake_events
from services.transition.models import Child as TransitionChild
from tests.factories import ASKER, BERGEN, child_settled
from tests.waiting import eventually

CHILDREN = 200
# Generous: an update heard before its child arrived waits a doubling delay (up to 30 s), and
# on a busy machine (two test workers on two cores) the 200 take minutes; a deadline this long
# costs time only when something is already wrong.
DEADLINE_SECONDS = 240
PROJECTIONS = (CareChild, TransitionChild, CommunityChild)
BORN, CORRECTED = date(2010, 5, 17), date(2010, 11, 30)


async def announce(session: AsyncSession, contract: Contract, tenant: str) -> None:
    """Writes one of intake's events to intake's outbox, as its routes do."""
    await act_in_tenant(session, tenant)
    await publish(session, contract, tenant=tenant, actor="intake", outbox=intake_events.outbox)


def update(child_id: uuid.UUID, *, revision: int, born: date, arrangement: str) -> ChildUpdatedV1:
    return ChildUpdatedV1(
        child_id=child_id,
        first_name="Yonas",
        full_name="Yonas Tesfay",
        date_of_birth=born,
        date_of_birth_estimated=False,
        sex="M",
        nationality="ER",
        languages=["ti"],
        care_arrangement=arrangement,
        revision=revision,
    )


async def children_at(
    sessionmaker: async_sessionmaker[AsyncSession],
    tenant: str,
    ids: list[uuid.UUID],
    **values: Any,
) -> list[int]:
    """How many of the children each service keeps in `tenant` with these values."""
    counts = []
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        for model in PROJECTIONS:
            query = select(func.count()).select_from(model).where(model.id.in_(ids))
            for name, value in values.items():
                query = query.where(getattr(model, name) == value)
            counts.append(await session.scalar(query) or 0)
    return counts


async def test_updates_right_after_a_relocation_are_never_lost(stack, app_sessionmaker):
    # given 200 children settled in Bergen, known to every service
    settled = [child_settled(tenant=BERGEN, date_of_birth=BORN) for _ in range(CHILDREN)]
    ids = [uuid.UUID(envelope.data["child_id"]) for envelope in settled]
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        for envelope in settled:
            await announce(session, ChildSettledV1.model_validate(envelope.data), BERGEN)
    await eventually(
        lambda: children_at(app_sessionmaker, BERGEN, ids),
        lambda counts: counts == [CHILDREN] * 3,
        within=DEADLINE_SECONDS,
        interval=0.2,
    )

    # when each moves to Asker and is corrected there at once: acceptRelocation publishes
    # child.relocated in Bergen and child.updated in Asker, then a caseworker edits the child
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        for child_id in ids:
            moved = ChildRelocatedV1(
                child_id=child_id,
                from_tenant=BERGEN,
                to_tenant=ASKER,
                relocated_on=date(2026, 12, 1),
                revision=2,
            )
            await announce(session, moved, BERGEN)
            arrived = update(child_id, revision=3, born=BORN, arrangement="FOSTER_HOME")
            await announce(session, arrived, ASKER)
            corrected = update(child_id, revision=4, born=CORRECTED, arrangement="FOSTER_HOME")
            await announce(session, corrected, ASKER)

    # then every service has every child in Asker, with the last update applied
    await eventually(
        lambda: children_at(app_sessionmaker, ASKER, ids, date_of_birth=CORRECTED, revision=4),
        lambda counts: counts == [CHILDREN] * 3,
        within=DEADLINE_SECONDS,
        interval=0.2,
    )
    assert await children_at(app_sessionmaker, BERGEN, ids) == [0, 0, 0]
