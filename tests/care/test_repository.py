"""Care's event handler and queries against PostgreSQL, as the application role under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from havn.db import scoped_transaction
from havn.errors import InvalidInput
from havn.events.envelope import Envelope
from havn.pagination import encode_cursor
from services.care import repository
from services.care.events import open_care_for_settled_child
from services.care.models import Assessment, CareGoal, CarePlan, Child, FollowUpNote
from tests.care.factories import follow_up_notes
from tests.factories import ASKER, BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]


async def settle(sessionmaker: Sessionmaker, envelope: Envelope) -> uuid.UUID:
    """Delivers the event as the consumer does: in a transaction bound to its tenant."""
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await open_care_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def add_rows(sessionmaker: Sessionmaker, tenant: str, rows: list[Any]) -> None:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        session.add_all(rows)


@contextmanager
def counting_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_a_settled_child_is_kept_with_a_draft_plan_and_the_first_assessment_due(
    app_sessionmaker,
):
    # given
    envelope = child_settled(settled_on=date(2026, 11, 2))

    # when
    child_id = await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
        plan = await session.get(CarePlan, child_id)
    assert child is not None and plan is not None
    assert (child.tenant_id, child.first_name, child.languages) == (BERGEN, "Amina", ["prs", "en"])
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert (plan.tenant_id, plan.status, plan.version) == (BERGEN, "DRAFT", 1)
    assert (plan.childs_own_words, plan.approved_on) == (None, None)
    assert plan.next_assessment_due == date(2026, 11, 16)


async def test_the_same_settlement_handled_twice_drafts_one_plan(app_sessionmaker):
    # given
    envelope = child_settled()
    child_id = await settle(app_sessionmaker, envelope)

    # when
    await settle(app_sessionmaker, envelope)

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        plans = await session.scalar(
            select(func.count()).select_from(CarePlan).where(CarePlan.child_id == child_id)
        )
        children = await session.scalar(
            select(func.count()).select_from(Child).where(Child.id == child_id)
        )
    assert (plans, children) == (1, 1)


async def test_a_settlement_naming_another_tenants_child_writes_nothing(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))

    # when
    await settle(
        app_sessionmaker,
        child_settled(tenant=ASKER, child_id=child_id, settled_on=date(2027, 1, 4)),
    )

    # then
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        assert await session.get(Child, child_id) is None
        assert await session.get(CarePlan, child_id) is None
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        plan = await session.get(CarePlan, child_id)
    assert plan is not None and plan.next_assessment_due == date(2026, 11, 16)


async def test_another_tenant_sees_none_of_a_childs_care(app_sessionmaker):
    # given a Bergen child with a goal, an assessment and a note
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))
    await add_rows(
        app_sessionmaker,
        BERGEN,
        [
            CareGoal(
                tenant_id=BERGEN,
                child_id=child_id,
                domain="education",
                description="Starts at the introduction school",
                review_on=None,
            ),
            Assessment(
                tenant_id=BERGEN,
                child_id=child_id,
                assessed_on=date(2026, 11, 10),
                scores=[{"domain": "health", "score": 3}],
                childs_own_words=None,
                notes=None,
                next_due_on=date(2027, 5, 10),
            ),
            *follow_up_notes(child_id, 1),
        ],
    )

    # when Asker asks for it
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        plans = await repository.care_plans_by_child_ids(session, [child_id], with_goals=True)
        assessments = await repository.assessments_by_child_ids(session, [child_id])
        pages = await repository.follow_up_note_pages(session, [child_id], first=10, after=None)
        seen = [
            await session.scalar(
                select(func.count()).select_from(table).where(table.child_id == child_id)
            )
            for table in (CarePlan, CareGoal, Assessment, FollowUpNote)
        ]

    # then
    assert (list(plans), dict(assessments), pages) == ([], {}, {})
    assert seen == [0, 0, 0, 0]


async def test_goals_are_not_loaded_for_a_caller_who_sees_the_plan_status_only(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled())

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        (plan,) = await repository.care_plans_by_child_ids(session, [child_id], with_goals=False)

    # then
    with pytest.raises(InvalidRequestError, match="lazy='raise'"):
        _ = plan.goals


async def test_assessments_come_per_child_newest_first(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled())
    await add_rows(
        app_sessionmaker,
        BERGEN,
        [
            Assessment(
                tenant_id=BERGEN,
                child_id=child_id,
                assessed_on=assessed_on,
                scores=[{"domain": "language", "score": score}],
                childs_own_words=None,
                notes=None,
                next_due_on=date(2028, 1, 1),
            )
            for assessed_on, score in ((date(2026, 11, 10), 2), (date(2027, 5, 10), 4))
        ],
    )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        assessments = await repository.assessments_by_child_ids(session, [child_id])

    # then
    assert [a.assessed_on for a in assessments[child_id]] == [date(2027, 5, 10), date(2026, 11, 10)]
    assert assessments[child_id][0].scores == [{"domain": "language", "score": 4}]


async def test_follow_up_notes_come_newest_first_in_a_page_per_child(app_sessionmaker):
    # given one child with three notes and one with none
    busy = await settle(app_sessionmaker, child_settled())
    quiet = await settle(app_sessionmaker, child_settled())
    await add_rows(app_sessionmaker, BERGEN, follow_up_notes(busy, 3))

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        pages = await repository.follow_up_note_pages(
            session, [busy, quiet, uuid.uuid4()], first=2, after=None
        )

    # then an unknown id is left out, and each page holds its own child's newest notes
    assert set(pages) == {busy, quiet}
    assert [note.text for note in pages[busy].items] == [
        "Visit 3: settling in.",
        "Visit 2: settling in.",
    ]
    assert (pages[busy].has_next_page, pages[busy].total_count) == (True, 3)
    assert (pages[quiet].items, pages[quiet].has_next_page, pages[quiet].total_count) == (
        [],
        False,
        0,
    )


async def test_the_next_page_of_notes_starts_after_the_cursor(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled())
    await add_rows(app_sessionmaker, BERGEN, follow_up_notes(child_id, 3))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        first = await repository.follow_up_note_pages(session, [child_id], first=2, after=None)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        pages = await repository.follow_up_note_pages(
            session, [child_id], first=2, after=first[child_id].end_cursor
        )

    # then
    assert [note.text for note in pages[child_id].items] == ["Visit 1: settling in."]
    assert (pages[child_id].has_next_page, pages[child_id].total_count) == (False, 3)


async def test_follow_up_notes_cost_the_same_statements_for_2_and_20_children(
    app_sessionmaker, app_engine
):
    # given 20 children with notes
    children = [await settle(app_sessionmaker, child_settled()) for _ in range(20)]
    await add_rows(
        app_sessionmaker,
        BERGEN,
        [note for child_id in children for note in follow_up_notes(child_id, 3)],
    )

    # when
    counts = []
    for ids in (children[:2], children):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            with counting_statements(app_engine) as statements:
                pages = await repository.follow_up_note_pages(session, ids, first=2, after=None)
        assert len(pages) == len(ids)
        counts.append(len(statements))

    # then
    assert counts[0] == counts[1] == 2


@pytest.mark.parametrize(
    "cursor", ["not-a-cursor", encode_cursor("2026-11-03T09:30:00", str(uuid.UUID(int=1)))]
)
async def test_a_notes_cursor_this_list_did_not_give_out_is_bad_input(app_sessionmaker, cursor):
    # given
    child_id = await settle(app_sessionmaker, child_settled())

    # when / then
    with pytest.raises(InvalidInput, match="cursor"):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await repository.follow_up_note_pages(session, [child_id], first=2, after=cursor)
