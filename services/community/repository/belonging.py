"""The belonging overview: children without a leisure offer or a mentor, places per partner."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from havn.pagination import Page, decode_cursor, page_of
from havn.reach import Reach
from services.community.models import Child, Enrolment, Match, Offer, Partner, Volunteer
from services.community.repository.children import reached
from services.community.repository.enrolments import enrolment_active_on
from services.community.repository.matches import match_active_on


async def children_without_belonging(
    session: AsyncSession, *, reach: Reach, today: date, first: int, after: str | None
) -> Page[Child]:
    """Children with neither an active leisure offer nor an active mentor."""
    leisure = (
        select(Enrolment.id)
        .join(Offer, Offer.id == Enrolment.offer_id)
        .where(Enrolment.child_id == Child.id, Offer.kind == "LEISURE", enrolment_active_on(today))
    )
    mentor = (
        select(Match.id)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(Match.child_id == Child.id, Volunteer.kind == "MENTOR", match_active_on(today))
    )
    condition = and_(~leisure.exists(), ~mentor.exists(), reached(reach, Child.id))
    query = select(Child).where(condition)
    key = decode_cursor(after, str, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.first_name, Child.id) > tuple_(*key))
    rows = (
        await session.scalars(query.order_by(Child.first_name, Child.id).limit(first + 1))
    ).all()
    total = await session.scalar(select(func.count()).select_from(Child).where(condition)) or 0
    return page_of(rows, first, total, key=lambda c: (c.first_name, str(c.id)))


async def active_enrolments_per_partner(
    session: AsyncSession, *, today: date
) -> Sequence[tuple[Partner, int]]:
    """Every partner with offers in the tenant and its active enrolments, most first."""
    count = func.count(Enrolment.id).filter(enrolment_active_on(today))
    rows = await session.execute(
        select(Partner, count)
        .join(Offer, Offer.partner_id == Partner.id)
        .outerjoin(Enrolment, Enrolment.offer_id == Offer.id)
        .group_by(Partner.id)
        .order_by(count.desc(), Partner.slug)
    )
    return [(partner, total) for partner, total in rows]
