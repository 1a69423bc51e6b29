"""Community's route called as a function with a caller and a tenant-bound transaction."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from services.community.api import ChildIdsIn, enrolments_by_child_ids
from services.community.events import project_settled_child
from services.community.models import Enrolment
from tests.factories import BERGEN, child_settled


def caller(role: Role) -> Principal:
    return Principal(
        subject=f"{role}-subject",
        username=f"bergen-{role}",
        roles=frozenset({role}),
        tenants=(BERGEN,),
        tenant=BERGEN,
    )


async def child_with_enrolment(sessionmaker, today: date) -> uuid.UUID:
    envelope = child_settled()
    child_id = uuid.UUID(envelope.data["child_id"])
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        await project_settled_child(session, envelope)
        session.add(
            Enrolment(
                tenant_id=BERGEN,
                child_id=child_id,
                offer_id=uuid.uuid4(),
                started_on=today - timedelta(days=30),
                ended_on=None,
            )
        )
    return child_id


async def logged_classes(sessionmaker, child_id: uuid.UUID) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation).where(
                access_log.c.child_id == child_id
            )
        )
        return [(row.data_class, row.operation) for row in rows]


@pytest.mark.parametrize(
    "role",
    [
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
    ],
)
async def test_municipal_staff_see_interests_and_enrolments_and_the_read_is_logged_basic(
    app_sessionmaker, role
):
    # given
    clock = Clock()
    child_id = await child_with_enrolment(app_sessionmaker, clock.today())

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await enrolments_by_child_ids(
            ChildIdsIn(child_ids=[child_id, uuid.uuid4()]), caller(role), session, clock
        )

    # then
    (item,) = answer.items
    assert (item.child_id, item.interests) == (child_id, [])
    assert [(e.child_id, e.ended_on, e.active) for e in item.enrolments] == [(child_id, None, True)]
    assert await logged_classes(app_sessionmaker, child_id) == [("basic", "community.read")]


@pytest.mark.parametrize(
    "role", [Role.CONTACT_PERSON, Role.PARTNER, Role.DIRECTORATE_ALLOCATOR, Role.PLATFORM_ADMIN]
)
async def test_contact_persons_and_non_municipal_roles_get_no_children(app_sessionmaker, role):
    # given
    clock = Clock()
    child_id = await child_with_enrolment(app_sessionmaker, clock.today())

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await enrolments_by_child_ids(
            ChildIdsIn(child_ids=[child_id]), caller(role), session, clock
        )

    # then
    assert answer.items == []
    assert await logged_classes(app_sessionmaker, child_id) == []
