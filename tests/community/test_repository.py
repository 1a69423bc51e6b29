"""Community's event handler and queries against PostgreSQL, as the application role under RLS."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import scoped_transaction
from havn.events.envelope import Envelope
from services.community import repository
from services.community.events import project_settled_child
from services.community.models import Child, Enrolment
from tests.factories import ASKER, BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]


async def settle(sessionmaker: Sessionmaker, envelope: Envelope) -> uuid.UUID:
    """Delivers the event as the consumer does: in a transaction bound to its tenant."""
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await project_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def test_a_settled_child_is_kept_with_no_interests(app_sessionmaker):
    # given
    envelope = child_settled()

    # when
    child_id = await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
    assert child is not None
    assert (child.tenant_id, child.first_name, child.date_of_birth) == (
        BERGEN,
        "Amina",
        date(2010, 5, 17),
    )
    assert (child.languages, child.interests) == (["prs", "en"], [])


async def test_the_same_settlement_handled_twice_keeps_one_child(app_sessionmaker):
    # given
    envelope = child_settled()
    child_id = await settle(app_sessionmaker, envelope)

    # when
    await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        children = await session.scalar(
            select(func.count()).select_from(Child).where(Child.id == child_id)
        )
    assert children == 1


async def test_a_settlement_naming_another_tenants_child_writes_nothing(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))

    # when
    await settle(app_sessionmaker, child_settled(tenant=ASKER, child_id=child_id))

    # then
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        assert await session.get(Child, child_id) is None
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
    assert child is not None and child.tenant_id == BERGEN


async def test_children_come_with_their_enrolments_newest_first(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled())
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        session.add_all(
            [
                Enrolment(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    offer_id=uuid.uuid4(),
                    started_on=started_on,
                    ended_on=None,
                )
                for started_on in (date(2027, 1, 10), date(2027, 2, 1))
            ]
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        (child,) = await repository.children_by_ids(session, [child_id, uuid.uuid4()])

    # then
    assert [e.started_on for e in child.enrolments] == [date(2027, 2, 1), date(2027, 1, 10)]


async def test_another_tenant_sees_none_of_a_childs_community_rows(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        session.add(
            Enrolment(
                tenant_id=BERGEN,
                child_id=child_id,
                offer_id=uuid.uuid4(),
                started_on=date(2027, 1, 10),
                ended_on=None,
            )
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        children = await repository.children_by_ids(session, [child_id])
        enrolments = await session.scalar(
            select(func.count()).select_from(Enrolment).where(Enrolment.child_id == child_id)
        )

    # then
    assert (list(children), enrolments) == ([], 0)
