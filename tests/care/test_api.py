"""Care's reads called as its routes call them, with a caller and a tenant-bound transaction
(no HTTP): what each role sees of a child's care, and what is logged."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn import permissions
from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Forbidden, InvalidInput
from havn.http import ChildIdsIn
from services.care import schemas
from services.care.events import open_care_for_settled_child
from services.care.models import Assessment, CareGoal
from services.care.schemas import CareBatchIn, ChildPagesIn
from services.care.service import care_records
from services.care.service.follow_up_notes import count_follow_up_notes, read_follow_up_notes
from tests.care.factories import follow_up_notes
from tests.factories import ASKER, BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]


def caller(role: Role, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"{role}-subject",
        username=f"bergen-{role}",
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


async def child_with_care(sessionmaker: Sessionmaker) -> uuid.UUID:
    """A settled Bergen child whose plan has a goal and the child's words, and one assessment."""
    envelope = child_settled()
    child_id = uuid.UUID(envelope.data["child_id"])
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        await open_care_for_settled_child(session, envelope)
        session.add_all(
            [
                CareGoal(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    domain="education",
                    description="Starts at the introduction school",
                    review_on=date(2027, 1, 15),
                ),
                Assessment(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    assessed_on=date(2026, 11, 10),
                    scores=[{"domain": "health", "score": 3}],
                    childs_own_words="I like it",
                    notes="Sleeps badly",
                    next_due_on=date(2027, 5, 10),
                ),
                *follow_up_notes(child_id, 2),
            ]
        )
        await session.flush()
    return child_id


async def access_entries(sessionmaker: Sessionmaker, child_id: uuid.UUID) -> list[tuple[str, ...]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.role, access_log.c.data_class, access_log.c.operation)
            .where(access_log.c.child_id == child_id)
            .order_by(access_log.c.id)
        )
        return [tuple(row) for row in rows]


async def test_a_caseworker_sees_the_whole_care_record_and_the_read_is_logged(app_sessionmaker):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = schemas.present_care_records(
            await care_records.read_care_records(
                session,
                principal=caller(Role.CASEWORKER),
                body=CareBatchIn(child_ids=[child_id, uuid.uuid4()]),
            ),
            Clock().today(),
        )

    # then
    (item,) = answer.items
    assert item.child_id == child_id
    assert item.care_plan is not None and item.care_plan.status == "DRAFT"
    assert [goal.domain for goal in item.care_plan.goals] == ["education"]
    assert item.assessments is not None
    assert [a.scores[0].score for a in item.assessments] == [3]
    assert item.assessments[0].notes == "Sleeps badly"
    assert item.next_assessment_due == date(2026, 11, 16)
    assert await access_entries(app_sessionmaker, child_id) == [
        ("caseworker", "personal", "care.read"),
        ("caseworker", "confidential", "care.read"),
    ]


async def test_a_coordinator_sees_the_plan_status_but_not_its_goals_or_assessments(
    app_sessionmaker,
):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = schemas.present_care_records(
            await care_records.read_care_records(
                session,
                principal=caller(Role.SETTLEMENT_COORDINATOR),
                body=CareBatchIn(child_ids=[child_id]),
            ),
            Clock().today(),
        )

    # then
    (item,) = answer.items
    assert item.care_plan is not None
    assert (item.care_plan.status, item.care_plan.goals, item.care_plan.childs_own_words) == (
        "DRAFT",
        [],
        None,
    )
    assert item.assessments is None
    assert await access_entries(app_sessionmaker, child_id) == [
        ("settlement-coordinator", "personal", "care.read"),
    ]


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
async def test_other_roles_get_no_care_and_nothing_is_logged(app_sessionmaker, role):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = schemas.present_care_records(
            await care_records.read_care_records(
                session, principal=caller(role), body=CareBatchIn(child_ids=[child_id])
            ),
            Clock().today(),
        )

    # then
    assert answer.items == []
    assert await access_entries(app_sessionmaker, child_id) == []


async def test_a_caseworker_in_another_municipality_gets_no_care(app_sessionmaker):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        answer = schemas.present_care_records(
            await care_records.read_care_records(
                session,
                principal=caller(Role.CASEWORKER, ASKER),
                body=CareBatchIn(child_ids=[child_id]),
            ),
            Clock().today(),
        )

    # then
    assert answer.items == []


async def test_a_caseworker_reads_follow_up_notes_and_the_read_is_logged_confidential(
    app_sessionmaker,
):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await read_follow_up_notes(
            session,
            principal=caller(Role.CASEWORKER),
            body=ChildPagesIn(child_ids=[child_id], first=1),
        )

    # then
    assert list(answer) == [child_id]
    page = answer[child_id]
    assert [note.text for note in page.items] == ["Visit 2: settling in."]
    assert (page.has_next_page, page.total_count) == (True, 2)
    assert await access_entries(app_sessionmaker, child_id) == [
        ("caseworker", "confidential", "follow-up-notes.read"),
    ]


async def test_follow_up_notes_are_forbidden_to_a_coordinator(app_sessionmaker):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    with pytest.raises(Forbidden):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await read_follow_up_notes(
                session,
                principal=permissions.care.CONFIDENTIAL_READ.require(
                    caller(Role.SETTLEMENT_COORDINATOR)
                ),
                body=ChildPagesIn(child_ids=[child_id]),
            )

    # then
    assert await access_entries(app_sessionmaker, child_id) == []


@pytest.mark.parametrize("note_counts", [False, True])
async def test_the_care_record_carries_the_note_count_only_when_asked_and_logs_it(
    app_sessionmaker, note_counts
):
    # given a child with two follow-up notes
    child_id = await child_with_care(app_sessionmaker)

    # when a caseworker reads its care, with or without the count of notes
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = schemas.present_care_records(
            await care_records.read_care_records(
                session,
                principal=caller(Role.CASEWORKER),
                body=CareBatchIn(child_ids=[child_id], note_counts=note_counts),
            ),
            Clock().today(),
        )

    # then the count is there (and logged as a read of the notes) only when asked for
    (item,) = answer.items
    assert item.follow_up_note_count == (2 if note_counts else None)
    logged = [op for _, _, op in await access_entries(app_sessionmaker, child_id)]
    assert ("follow-up-notes.count" in logged) is note_counts


async def test_a_caseworker_counts_follow_up_notes_and_the_count_is_logged_confidential(
    app_sessionmaker,
):
    # given a child with two notes, and an id no child of Bergen's has
    child_id = await child_with_care(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await count_follow_up_notes(
            session,
            principal=caller(Role.CASEWORKER),
            body=ChildIdsIn(child_ids=[child_id, uuid.uuid4()]),
        )

    # then only the child is counted, and the count is logged as a read of the notes
    assert answer == {child_id: 2}
    assert await access_entries(app_sessionmaker, child_id) == [
        ("caseworker", "confidential", "follow-up-notes.count"),
    ]


async def test_follow_up_note_counts_are_forbidden_to_a_coordinator(app_sessionmaker):
    # given
    child_id = await child_with_care(app_sessionmaker)

    # when
    with pytest.raises(Forbidden):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await count_follow_up_notes(
                session,
                principal=permissions.care.CONFIDENTIAL_READ.require(
                    caller(Role.SETTLEMENT_COORDINATOR)
                ),
                body=ChildIdsIn(child_ids=[child_id]),
            )

    # then
    assert await access_entries(app_sessionmaker, child_id) == []


async def test_a_notes_cursor_with_several_children_is_bad_input(app_sessionmaker):
    # given
    ids = [await child_with_care(app_sessionmaker) for _ in range(2)]

    # when / then
    with pytest.raises(InvalidInput, match="exactly one child"):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await read_follow_up_notes(
                session,
                principal=caller(Role.CASEWORKER),
                body=ChildPagesIn(child_ids=ids, after="ignored"),
            )
