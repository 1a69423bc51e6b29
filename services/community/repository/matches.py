"""The tenant's matches of children and volunteers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page
from havn.reach import Reach
from services.community.models import Match, Volunteer
from services.community.repository.children import reached
from services.community.repository.pages import page_by_date_desc


async def get_match(
    session: AsyncSession, match_id: uuid.UUID, *, for_update: bool = False
) -> Match | None:
    query = (
        select(Match)
        .options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
        .where(Match.id == match_id)
    )
    if for_update:
        query = query.with_for_update(of=Match)
    return (await session.scalars(query)).one_or_none()


def match_active_on(today: date) -> ColumnElement[bool]:
    return and_(Match.started_on <= today, or_(Match.ended_on.is_(None), Match.ended_on > today))


async def volunteers_matched_with(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> set[uuid.UUID]:
    query = select(Match.volunteer_id).where(Match.child_id == child_id, match_active_on(today))
    return set((await session.scalars(query)).all())


async def list_matches(
    session: AsyncSession,
    *,
    reach: Reach,
    child_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> Page[Match]:
    conditions = [reached(reach, Match.child_id)]
    if child_id:
        conditions.append(Match.child_id == child_id)
    if partner_id:
        conditions.append(
            Match.volunteer_id.in_(select(Volunteer.id).where(Volunteer.partner_id == partner_id))
        )
    query = select(Match).options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
    return await page_by_date_desc(
        session,
        query,
        Match,
        Match.started_on,
        and_(*conditions),
        first=first,
        after=after,
    )


async def active_matches_of_child(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> Sequence[Match]:
    """The child's matches active today, locked (a relocation ends them)."""
    query = (
        select(Match)
        .options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
        .where(Match.child_id == child_id, match_active_on(today))
        .with_for_update(of=Match)
    )
    return (await session.scalars(query)).all()
