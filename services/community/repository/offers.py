"""The tenant's offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page
from services.community.models import Enrolment, Offer
from services.community.repository.enrolments import enrolment_active_on
from services.community.repository.pages import page_by_created_desc


async def get_offer(
    session: AsyncSession, offer_id: uuid.UUID, *, for_update: bool = False
) -> Offer | None:
    """An offer with its partner; `for_update` holds its places while a child is enrolled."""
    query = select(Offer).options(selectinload(Offer.partner)).where(Offer.id == offer_id)
    if for_update:
        query = query.with_for_update(of=Offer)
    return (await session.scalars(query)).one_or_none()


async def list_offers(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID | None,
    kind: str | None,
    first: int,
    after: str | None,
) -> Page[Offer]:
    """The tenant's offers, newest first; a partner's only when `partner_id` is given."""
    conditions = [
        c
        for c in (
            Offer.partner_id == partner_id if partner_id else None,
            Offer.kind == kind if kind else None,
        )
        if c is not None
    ]
    query = select(Offer).options(selectinload(Offer.partner))
    return await page_by_created_desc(
        session, query, Offer, and_(*conditions) if conditions else None, first=first, after=after
    )


async def all_offers(session: AsyncSession) -> Sequence[Offer]:
    """Every offer of the tenant (for suggestions: a municipality has tens, not thousands)."""
    return (await session.scalars(select(Offer).options(selectinload(Offer.partner)))).all()


async def offers_with_free_places(
    session: AsyncSession, *, today: date, first: int, after: str | None
) -> Page[Offer]:
    taken = (
        select(func.count())
        .where(Enrolment.offer_id == Offer.id, enrolment_active_on(today))
        .correlate(Offer)
        .scalar_subquery()
    )
    query = select(Offer).options(selectinload(Offer.partner))
    return await page_by_created_desc(
        session, query, Offer, Offer.capacity > taken, first=first, after=after
    )
