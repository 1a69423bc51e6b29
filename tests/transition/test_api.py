"""Transition's route called as a function with a caller and a tenant-bound transaction."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from havn.audit import access_log
from havn.auth import Principal, Role
from havn.db import scoped_transaction
from services.transition.api import ChildIdsIn, transitions_by_child_ids
from services.transition.events import open_transition_for_settled_child
from tests.factories import BERGEN, child_settled


def caller(role: Role) -> Principal:
    return Principal(
        subject=f"{role}-subject",
        username=f"bergen-{role}",
        roles=frozenset({role}),
        tenants=(BERGEN,),
        tenant=BERGEN,
    )


async def settled_child(sessionmaker) -> uuid.UUID:
    envelope = child_settled(date_of_birth=date(2010, 5, 17))
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        await open_transition_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def logged_classes(sessionmaker, child_id: uuid.UUID) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation).where(
                access_log.c.child_id == child_id
            )
        )
        return [(row.data_class, row.operation) for row in rows]


@pytest.mark.parametrize("role", [Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER])
async def test_coordinators_and_caseworkers_see_the_transition_and_the_read_is_logged(
    app_sessionmaker, role
):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await transitions_by_child_ids(
            ChildIdsIn(child_ids=[child_id, uuid.uuid4()]), caller(role), session
        )

    # then
    (item,) = answer.items
    assert (item.child_id, item.plan_opens_on, item.aftercare_decision, item.outcomes) == (
        child_id,
        date(2027, 5, 17),
        None,
        [],
    )
    assert await logged_classes(app_sessionmaker, child_id) == [("personal", "transition.read")]


@pytest.mark.parametrize(
    "role",
    [
        Role.CONTACT_PERSON,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
        Role.PARTNER,
        Role.DIRECTORATE_ANALYST,
    ],
)
async def test_other_roles_get_no_transition_and_nothing_is_logged(app_sessionmaker, role):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await transitions_by_child_ids(
            ChildIdsIn(child_ids=[child_id]), caller(role), session
        )

    # then
    assert answer.items == []
    assert await logged_classes(app_sessionmaker, child_id) == []
