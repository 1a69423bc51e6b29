"""Community's event handler and queries against PostgreSQL, as the application role under RLS."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.envelope import Envelope
from havn.reach import EVERY_CHILD
from services.community.events import project_settled_child
from services.community.models import AccessGrant, Child, Enrolment
from services.community.repository import children, offers, partners
from tests.community.support import enrol_child, enrolled_child, partner_with_offer
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
        kept = await session.scalar(
            select(func.count()).select_from(Child).where(Child.id == child_id)
        )
    assert kept == 1


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
    # given a child enrolled in one offer, then in another a month later
    clock = Clock()
    child_id = await settle(app_sessionmaker, child_settled())
    _, first_offer = await partner_with_offer(app_sessionmaker, Clock(clock.offset - timedelta(30)))
    _, second_offer = await partner_with_offer(app_sessionmaker, clock)
    await enrol_child(app_sessionmaker, Clock(clock.offset - timedelta(30)), child_id, first_offer)
    await enrol_child(app_sessionmaker, clock, child_id, second_offer)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        (child,) = await children.children_by_ids(
            session, [child_id, uuid.uuid4()], reach=EVERY_CHILD
        )

    # then
    assert [e.offer_id for e in child.enrolments] == [second_offer, first_offer]


async def test_another_tenant_sees_none_of_a_childs_community_rows(app_sessionmaker):
    # given a Bergen child enrolled, with its grant
    enrolled = await enrolled_child(app_sessionmaker, Clock())

    # when Asker looks
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        found = await children.children_by_ids(session, [enrolled.child_id], reach=EVERY_CHILD)
        rows = [
            await session.scalar(
                select(func.count()).select_from(model).where(model.child_id == enrolled.child_id)
            )
            for model in (Enrolment, AccessGrant)
        ]
        offer = await offers.get_offer(session, enrolled.offer_id)

    # then it sees none of them, but the partner, shared reference data, is there
    assert (list(found), rows, offer) == ([], [0, 0], None)
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        assert await partners.get_partner_by_slug(session, enrolled.slug) is not None
