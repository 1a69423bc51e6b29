"""Every query of the care service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from havn.pagination import Page, decode_cursor, page_of
from havn.projection import add_if_new
from services.care.models import Assessment, CarePlan, Child, FollowUpNote


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


def parse_written_at(value: str) -> datetime:
    """A cursor's time: only one this list gave out, which always carries its UTC offset."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a note cursor's time has an offset")
    return moment


async def add_care_plan(session: AsyncSession, plan: CarePlan) -> None:
    session.add(plan)
    await session.flush()


async def care_plans_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, with_goals: bool
) -> Sequence[CarePlan]:
    """The children's plans; goals are loaded only for a caller who may see them."""
    query = select(CarePlan).where(CarePlan.child_id.in_(child_ids)).order_by(CarePlan.child_id)
    if with_goals:
        query = query.options(selectinload(CarePlan.goals))
    return (await session.scalars(query)).all()


async def assessments_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Assessment]]:
    """Each child's assessments, newest first, in one statement."""
    rows = await session.scalars(
        select(Assessment)
        .where(Assessment.child_id.in_(child_ids))
        .order_by(Assessment.child_id, Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    by_child: dict[uuid.UUID, list[Assessment]] = defaultdict(list)
    for assessment in rows:
        by_child[assessment.child_id].append(assessment)
    return by_child


async def follow_up_note_pages(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, first: int, after: str | None
) -> dict[uuid.UUID, Page[FollowUpNote]]:
    """A page of each child's notes, newest first, in two statements whatever the number of ids.

    A grouped count over the tenant's children gives each total and, through the join, which
    ids are children here at all; a window numbers each child's notes newest first, so one
    query takes the first `first + 1` of every child. Children unknown here are left out.
    """
    counted = await session.execute(
        select(Child.id, func.count(FollowUpNote.id))
        .outerjoin(FollowUpNote, FollowUpNote.child_id == Child.id)
        .where(Child.id.in_(child_ids))
        .group_by(Child.id)
    )
    totals = {child_id: total for child_id, total in counted}
    position = (
        func.row_number()
        .over(
            partition_by=FollowUpNote.child_id,
            order_by=(FollowUpNote.written_at.desc(), FollowUpNote.id.desc()),
        )
        .label("position")
    )
    numbered = select(FollowUpNote, position).where(FollowUpNote.child_id.in_(list(totals)))
    key = decode_cursor(after, parse_written_at, uuid.UUID)
    if key is not None:
        numbered = numbered.where(tuple_(FollowUpNote.written_at, FollowUpNote.id) < tuple_(*key))
    numbered_notes = numbered.subquery()
    note = aliased(FollowUpNote, numbered_notes)
    rows = await session.scalars(
        select(note)
        .where(numbered_notes.c.position <= first + 1)
        .order_by(note.child_id, numbered_notes.c.position)
    )
    by_child: dict[uuid.UUID, list[FollowUpNote]] = defaultdict(list)
    for row in rows:
        by_child[row.child_id].append(row)
    return {
        child_id: page_of(
            by_child[child_id], first, total, key=lambda n: (n.written_at.isoformat(), str(n.id))
        )
        for child_id, total in totals.items()
    }
