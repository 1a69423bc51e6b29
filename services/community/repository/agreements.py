"""The tenant's partnership agreements."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page
from services.community.models import Agreement
from services.community.repository.pages import page_by_date_desc


async def agreements_with(session: AsyncSession, partner_id: uuid.UUID) -> Sequence[Agreement]:
    query = select(Agreement).where(Agreement.partner_id == partner_id)
    return (await session.scalars(query)).all()


async def list_agreements(
    session: AsyncSession, *, partner_id: uuid.UUID | None, first: int, after: str | None
) -> Page[Agreement]:
    """The tenant's agreements, newest first."""
    condition = Agreement.partner_id == partner_id if partner_id else None
    query = select(Agreement).options(selectinload(Agreement.partner))
    return await page_by_date_desc(
        session, query, Agreement, Agreement.valid_from, condition, first=first, after=after
    )
