"""The tenant's funding applications."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from havn.pagination import Page
from services.community.models import FundingApplication
from services.community.repository.pages import page_by_date_desc


async def get_funding_application(
    session: AsyncSession, application_id: uuid.UUID
) -> FundingApplication | None:
    query = (
        select(FundingApplication).where(FundingApplication.id == application_id).with_for_update()
    )
    return (await session.scalars(query)).one_or_none()


async def list_funding_applications(
    session: AsyncSession, *, status: str | None, first: int, after: str | None
) -> Page[FundingApplication]:
    condition = FundingApplication.status == status if status else None
    return await page_by_date_desc(
        session,
        select(FundingApplication),
        FundingApplication,
        FundingApplication.applied_on,
        condition,
        first=first,
        after=after,
    )


async def funding_totals(session: AsyncSession) -> dict[str, tuple[int, int, int]]:
    """Per status: applications, kroner applied for, kroner granted (the tenant's)."""
    rows = await session.execute(
        select(
            FundingApplication.status,
            func.count(),
            func.coalesce(func.sum(FundingApplication.amount_nok), 0),
            func.coalesce(func.sum(FundingApplication.granted_nok), 0),
        ).group_by(FundingApplication.status)
    )
    return {status: (count, applied, granted or 0) for status, count, applied, granted in rows}
