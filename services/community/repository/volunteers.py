"""The tenant's volunteers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page
from services.community.models import Volunteer
from services.community.repository.pages import page_by_created_desc


async def get_volunteer(
    session: AsyncSession, volunteer_id: uuid.UUID, *, for_update: bool = False
) -> Volunteer | None:
    query = (
        select(Volunteer)
        .options(selectinload(Volunteer.partner))
        .where(Volunteer.id == volunteer_id)
    )
    if for_update:
        query = query.with_for_update(of=Volunteer)
    return (await session.scalars(query)).one_or_none()


async def list_volunteers(
    session: AsyncSession, *, partner_id: uuid.UUID | None, first: int, after: str | None
) -> Page[Volunteer]:
    condition = Volunteer.partner_id == partner_id if partner_id else None
    query = select(Volunteer).options(selectinload(Volunteer.partner))
    return await page_by_created_desc(
        session, query, Volunteer, condition, first=first, after=after
    )


async def all_volunteers(session: AsyncSession) -> Sequence[Volunteer]:
    return (await session.scalars(select(Volunteer).options(selectinload(Volunteer.partner)))).all()
