"""Every query of the intake service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page, decode_cursor, page_of
from services.intake.models import Child, Municipality, PreparationTask, Referral


async def get_municipality(session: AsyncSession, number: str) -> Municipality | None:
    return await session.get(Municipality, number)


async def list_municipalities(session: AsyncSession) -> Sequence[Municipality]:
    return (await session.scalars(select(Municipality).order_by(Municipality.number))).all()


async def get_referral(
    session: AsyncSession, referral_id: uuid.UUID, *, for_update: bool = False
) -> Referral | None:
    """A referral with its checklist; `for_update` locks it against a concurrent decision."""
    query = select(Referral).options(selectinload(Referral.tasks)).where(Referral.id == referral_id)
    if for_update:
        query = query.with_for_update(of=Referral)
    return (await session.scalars(query)).one_or_none()


async def referrals_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Referral]:
    query = select(Referral).options(selectinload(Referral.tasks)).where(Referral.id.in_(ids))
    return (await session.scalars(query)).all()


async def list_referrals(
    session: AsyncSession, *, status: str | None, first: int, after: str | None
) -> Page[Referral]:
    """Newest first by respond-by date, then id, as a keyset page."""
    condition = Referral.status == status if status else None
    total_query = select(func.count()).select_from(Referral)
    query = select(Referral).options(selectinload(Referral.tasks))
    if condition is not None:
        total_query, query = total_query.where(condition), query.where(condition)
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Referral.respond_by, Referral.id) > tuple_(*key))
    rows = (
        await session.scalars(query.order_by(Referral.respond_by, Referral.id).limit(first + 1))
    ).all()
    total = await session.scalar(total_query) or 0
    return page_of(rows, first, total, key=lambda r: (r.respond_by.isoformat(), str(r.id)))


def find_task(referral: Referral, kind: str) -> PreparationTask | None:
    return next((task for task in referral.tasks if task.kind == kind), None)


async def children_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Child]:
    return (await session.scalars(select(Child).where(Child.id.in_(ids)))).all()


async def list_children(session: AsyncSession, *, first: int, after: str | None) -> Page[Child]:
    """The tenant's children, most recently settled first."""
    query = select(Child)
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.settled_on, Child.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(Child.settled_on.desc(), Child.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(select(func.count()).select_from(Child)) or 0
    return page_of(rows, first, total, key=lambda c: (c.settled_on.isoformat(), str(c.id)))


async def child_subject_exists(session: AsyncSession, child_id: uuid.UUID) -> bool:
    """Whether the tenant holds this child, settled or still referred."""
    query = select(Referral.id).where(Referral.child_id == child_id).limit(1)
    return (await session.scalar(query)) is not None
