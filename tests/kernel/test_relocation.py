"""A relocated child's rows leave the sending municipality and arrive in the receiving one."""

import uuid

from sqlalchemy import select

from havn.db import scoped_transaction
from havn.relocation import move_child
from services.care.models import Base as CareBase
from services.care.models import CarePlan, Child
from tests.factories import settle_child
from tests.waiting import eventually

CARE_PLAN = "query($id: ID!) { child(id: $id) { carePlan { status } } }"


async def test_a_child_moves_with_all_its_rows_and_the_sender_keeps_none(
    gql, stack, app_sessionmaker
):
    # given a child settled in Bergen, with care's projection and draft plan
    child = await settle_child(gql, stack.clock.today())
    await eventually(
        lambda: gql("bergen-caseworker", CARE_PLAN, {"id": child["id"]}),
        until=lambda d: d["child"]["carePlan"] is not None,
    )
    child_id = uuid.UUID(child["id"])

    # when care moves it to Asker
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        moved = await move_child(
            session, CareBase.metadata, child_id=child_id, from_tenant="4601", to_tenant="3203"
        )

    # then Asker has the projection and the plan, and Bergen has neither
    assert moved >= 2
    for tenant, expected in (("3203", 1), ("4601", 0)):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            children = (await session.scalars(select(Child.id).where(Child.id == child_id))).all()
            plans = (
                await session.scalars(
                    select(CarePlan.child_id).where(CarePlan.child_id == child_id)
                )
            ).all()
        assert (len(children), len(plans)) == (expected, expected)
