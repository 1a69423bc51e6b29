"""Transition's event handler and queries against PostgreSQL, as the application role under RLS."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import scoped_transaction
from havn.events.envelope import Envelope
from havn.reach import EVERY_CHILD
from services.transition import repository
from services.transition.events import open_transition_for_settled_child
from services.transition.models import Child, Outcome, Transition
from tests.factories import ASKER, BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]


async def settle(sessionmaker: Sessionmaker, envelope: Envelope) -> uuid.UUID:
    """Delivers the event as the consumer does: in a transaction bound to its tenant."""
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await open_transition_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def test_a_settled_child_is_kept_with_its_plan_opening_on_the_seventeenth_birthday(
    app_sessionmaker,
):
    # given
    envelope = child_settled(date_of_birth=date(2008, 2, 29), settled_on=date(2024, 9, 1))

    # when
    child_id = await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
        transition = await session.get(Transition, child_id)
    assert child is not None and transition is not None
    assert (child.tenant_id, child.date_of_birth, child.settled_on) == (
        BERGEN,
        date(2008, 2, 29),
        date(2024, 9, 1),
    )
    assert (transition.tenant_id, transition.plan_opens_on) == (BERGEN, date(2025, 3, 1))
    assert transition.aftercare_decision is None


async def test_the_same_settlement_handled_twice_opens_one_transition(app_sessionmaker):
    # given
    envelope = child_settled()
    child_id = await settle(app_sessionmaker, envelope)

    # when
    await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        transitions = await session.scalar(
            select(func.count()).select_from(Transition).where(Transition.child_id == child_id)
        )
    assert transitions == 1


async def test_a_settlement_naming_another_tenants_child_writes_nothing(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))

    # when
    await settle(
        app_sessionmaker,
        child_settled(tenant=ASKER, child_id=child_id, date_of_birth=date(2011, 1, 1)),
    )

    # then
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        assert await session.get(Child, child_id) is None
        assert await session.get(Transition, child_id) is None
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        transition = await session.get(Transition, child_id)
    assert transition is not None and transition.plan_opens_on == date(2027, 5, 17)


async def test_transitions_come_with_their_outcomes_in_milestone_order(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled())
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        session.add_all(
            [
                Outcome(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    milestone_years=years,
                    status=status,
                    recorded_on=recorded_on,
                )
                for years, status, recorded_on in (
                    (2, "WORK", date(2028, 11, 2)),
                    (1, "EDUCATION", date(2027, 11, 2)),
                )
            ]
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        (transition,) = await repository.transitions_by_child_ids(
            session, [child_id], reach=EVERY_CHILD
        )

    # then
    assert [(o.milestone_years, o.status) for o in transition.outcomes] == [
        (1, "EDUCATION"),
        (2, "WORK"),
    ]


async def test_another_tenant_sees_none_of_a_childs_transition(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        session.add(
            Outcome(
                tenant_id=BERGEN,
                child_id=child_id,
                milestone_years=1,
                status="EDUCATION",
                recorded_on=date(2027, 11, 2),
            )
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        transitions = await repository.transitions_by_child_ids(
            session, [child_id], reach=EVERY_CHILD
        )
        seen = [
            await session.scalar(select(func.count()).select_from(table).where(column == child_id))
            for table, column in (
                (Child, Child.id),
                (Transition, Transition.child_id),
                (Outcome, Outcome.child_id),
            )
        ]

    # then
    assert list(transitions) == []
    assert seen == [0, 0, 0]
