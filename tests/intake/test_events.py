"""What intake publishes of a child is numbered in order; what it consumes of care's contact
persons is kept only where the child lives."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from havn.db import scoped_transaction
from havn.events.contracts.care import ContactPersonAssignedV1
from havn.events.envelope import Envelope
from havn.events.tables import system_transaction
from services.care.models import Child as CareChild
from services.community.models import Child as CommunityChild
from services.intake.events import follow_contact_person_assigned
from services.intake.models import ContactAssignment, events
from services.transition.models import Child as TransitionChild
from tests.factories import ASKER, BERGEN, settle_child
from tests.intake.test_child_profile import UPDATE
from tests.intake.test_relocation import ACCEPT, propose
from tests.waiting import eventually

CORRECTED = "2010-03-04"


async def relocate_to_asker(gql, child: dict) -> None:
    proposal = await propose(gql, child)
    await gql(
        "asker-coordinator",
        ACCEPT,
        {"id": proposal["id"], "input": {"careArrangement": "FOSTER_HOME"}},
    )


async def announced(system_sessionmaker, child_id: str) -> list[tuple[str, int]]:
    """The child events intake wrote for one child, in every municipality, in order."""
    outbox = events.outbox
    async with system_transaction(system_sessionmaker) as session:
        rows = await session.scalars(
            select(outbox.c.payload)
            .where(
                outbox.c.event_type.like("intake.child.%"),
                outbox.c.payload["data"]["child_id"].astext == child_id,
            )
            .order_by(outbox.c.created_at)
        )
        return [(row["type"], row["data"]["revision"]) for row in rows]


async def projections_in_asker(app_sessionmaker, child_id: str) -> list[tuple[date, int] | None]:
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        return [
            (
                await session.execute(
                    select(model.date_of_birth, model.revision).where(
                        model.id == uuid.UUID(child_id)
                    )
                )
            ).one_or_none()
            for model in (CareChild, TransitionChild, CommunityChild)
        ]


async def test_a_childs_changes_are_numbered_in_order_and_followed_after_a_relocation(
    gql, stack, app_sessionmaker, system_sessionmaker
):
    # given a child settled in Bergen, then corrected there
    child = await settle_child(gql, stack.clock.today(), fullName="Yonas Tesfay")
    await gql("bergen-caseworker", UPDATE, {"id": child["id"], "input": {"nationality": "SO"}})

    # when Asker takes the child over in a new care arrangement and corrects it at once
    await relocate_to_asker(gql, child)
    await gql("asker-caseworker", UPDATE, {"id": child["id"], "input": {"dateOfBirth": CORRECTED}})

    # then intake numbered every announced change, one after the other
    assert await announced(system_sessionmaker, child["id"]) == [
        ("intake.child.settled", 1),
        ("intake.child.updated", 2),
        ("intake.child.relocated", 3),
        ("intake.child.updated", 4),
        ("intake.child.updated", 5),
    ]
    # and care, transition and community all end with the last of them, in Asker
    expected = (date.fromisoformat(CORRECTED), 5)
    await eventually(
        lambda: projections_in_asker(app_sessionmaker, child["id"]),
        lambda found: found == [expected] * 3,
        within=30,
    )


def assigned(child_id: str, tenant: str, username: str) -> Envelope:
    contract = ContactPersonAssignedV1(
        child_id=uuid.UUID(child_id),
        username=username,
        previous_username=None,
        assigned_on=date(2026, 12, 1),
    )
    return Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor="care",
        data=contract.model_dump(mode="json"),
    )


async def assignee(app_sessionmaker, child_id: str, tenant: str) -> str | None:
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        username: str | None = await session.scalar(
            select(ContactAssignment.username).where(
                ContactAssignment.child_id == uuid.UUID(child_id)
            )
        )
    return username


async def test_an_assignment_made_where_the_child_no_longer_lives_is_not_kept(
    gql, stack, app_sessionmaker
):
    # given a child that has moved from Bergen to Asker
    child = await settle_child(gql, stack.clock.today(), fullName="Amina Rahimi")
    await relocate_to_asker(gql, child)

    # when intake hears of care's assignment in Bergen (made before care moved the child),
    # then of the one in Asker
    for event in (
        assigned(child["id"], BERGEN, "bergen-caseworker"),
        assigned(child["id"], ASKER, "asker-caseworker"),
    ):
        async with scoped_transaction(app_sessionmaker, tenant=event.tenant) as session:
            await follow_contact_person_assigned(session, event)

    # then only Asker's counts
    assert await assignee(app_sessionmaker, child["id"], BERGEN) is None
    assert await assignee(app_sessionmaker, child["id"], ASKER) == "asker-caseworker"
