"""The tenant's enrolments, and the places they take in offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page
from havn.reach import Reach
from services.community.models import Enrolment, Offer
from services.community.repository.children import reached
from services.community.repository.pages import page_by_date_desc


def enrolment_active_on(today: date) -> ColumnElement[bool]:
    return and_(
        Enrolment.started_on <= today,
        or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > today),
    )


async def active_enrolment_counts(
    session: AsyncSession, offer_ids: Sequence[uuid.UUID], *, today: date
) -> dict[uuid.UUID, int]:
    """Places taken today, per offer, in one statement.

    Run even for no offers, so that a page costs the same statements whatever it holds.
    """
    rows = await session.execute(
        select(Enrolment.offer_id, func.count())
        .where(Enrolment.offer_id.in_(offer_ids), enrolment_active_on(today))
        .group_by(Enrolment.offer_id)
    )
    return {offer_id: count for offer_id, count in rows}


async def get_enrolment(
    session: AsyncSession, enrolment_id: uuid.UUID, *, for_update: bool = False
) -> Enrolment | None:
    query = (
        select(Enrolment)
        .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
        .where(Enrolment.id == enrolment_id)
    )
    if for_update:
        query = query.with_for_update(of=Enrolment)
    return (await session.scalars(query)).one_or_none()


async def enrolments_by_ids(
    session: AsyncSession, enrolment_ids: Sequence[uuid.UUID], *, reach: Reach
) -> list[Enrolment]:
    query = (
        select(Enrolment)
        .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
        .where(Enrolment.id.in_(enrolment_ids), reached(reach, Enrolment.child_id))
        .order_by(Enrolment.id)
    )
    return list((await session.scalars(query)).all())


async def is_enrolled(
    session: AsyncSession, *, child_id: uuid.UUID, offer_id: uuid.UUID, today: date
) -> bool:
    query = select(
        exists().where(
            Enrolment.child_id == child_id,
            Enrolment.offer_id == offer_id,
            enrolment_active_on(today),
        )
    )
    return bool(await session.scalar(query))


async def offers_taken_by(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> set[uuid.UUID]:
    query = select(Enrolment.offer_id).where(
        Enrolment.child_id == child_id, enrolment_active_on(today)
    )
    return set((await session.scalars(query)).all())


async def list_enrolments(
    session: AsyncSession,
    *,
    reach: Reach,
    partner_id: uuid.UUID | None,
    offer_id: uuid.UUID | None,
    active_on: date | None,
    first: int,
    after: str | None,
) -> Page[Enrolment]:
    """The enrolments of the children the caller reaches, newest first; narrowed to a
    partner, an offer, or active ones."""
    conditions: list[ColumnElement[bool]] = [
        Enrolment.offer_id.in_(select(Offer.id)),
        reached(reach, Enrolment.child_id),
    ]
    if partner_id:
        conditions.append(
            Enrolment.offer_id.in_(select(Offer.id).where(Offer.partner_id == partner_id))
        )
    if offer_id:
        conditions.append(Enrolment.offer_id == offer_id)
    if active_on:
        conditions.append(enrolment_active_on(active_on))
    query = select(Enrolment).options(selectinload(Enrolment.offer).selectinload(Offer.partner))
    return await page_by_date_desc(
        session, query, Enrolment, Enrolment.started_on, and_(*conditions), first=first, after=after
    )


async def active_enrolments_of_child(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> Sequence[Enrolment]:
    """The child's enrolments active today, locked (a relocation ends them)."""
    query = (
        select(Enrolment)
        .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
        .where(Enrolment.child_id == child_id, enrolment_active_on(today))
        .with_for_update(of=Enrolment)
    )
    return (await session.scalars(query)).all()
