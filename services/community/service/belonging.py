"""The belonging overview: who lacks belonging, and where partners have places."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.pagination import Page
from services.community import events, policy
from services.community.models import Child, Offer, Partner
from services.community.repository import belonging, enrolments, offers


async def children_without_belonging(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None, today: date
) -> Page[Child]:
    """Children with neither an active leisure offer nor a mentor."""
    page = await belonging.children_without_belonging(
        session, reach=policy.organiser_reach(principal), today=today, first=first, after=after
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id for child in page.items],
        data_class=DataClass.BASIC,
        operation="community.belonging",
    )
    return page


async def enrolments_per_partner(
    session: AsyncSession, *, today: date
) -> Sequence[tuple[Partner, int]]:
    """Active enrolments per partner with offers in the municipality."""
    return await belonging.active_enrolments_per_partner(session, today=today)


async def offers_with_free_places(
    session: AsyncSession, *, first: int, after: str | None, today: date
) -> tuple[Page[Offer], dict[uuid.UUID, int]]:
    """Offers with places left today, and the places each has taken."""
    page = await offers.offers_with_free_places(session, today=today, first=first, after=after)
    enrolled = await enrolments.active_enrolment_counts(
        session, [offer.id for offer in page.items], today=today
    )
    return page, enrolled
