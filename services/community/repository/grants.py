"""Partners' grants to children: which children a partner may see, and which grants to close."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.pagination import Page, decode_cursor, page_of
from havn.reach import Reach
from services.community.models import AccessGrant, Child
from services.community.repository.children import reached


def grant_effective_on(today: date) -> ColumnElement[bool]:
    return and_(
        AccessGrant.closed_at.is_(None),
        or_(AccessGrant.expires_on.is_(None), AccessGrant.expires_on >= today),
    )


async def granted_child_ids(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID,
    child_ids: Sequence[uuid.UUID],
    scope: str,
    today: date,
) -> dict[uuid.UUID, date | None]:
    """The children of these the partner may see today, each with the day its access ends
    (None: no end set), from the partner's grants of the scope in force today."""
    query = select(AccessGrant.child_id, AccessGrant.expires_on).where(
        AccessGrant.partner_id == partner_id,
        AccessGrant.child_id.in_(child_ids),
        AccessGrant.scope == scope,
        grant_effective_on(today),
    )
    until: dict[uuid.UUID, date | None] = {}
    for child_id, expires_on in await session.execute(query):
        known = until.get(child_id, expires_on)
        until[child_id] = None if known is None or expires_on is None else max(known, expires_on)
    return until


async def granted_children(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID,
    scope: str,
    today: date,
    first: int,
    after: str | None,
) -> Page[Child]:
    """The children the partner may see today, by first name then id."""
    granted = select(AccessGrant.child_id).where(
        AccessGrant.partner_id == partner_id, AccessGrant.scope == scope, grant_effective_on(today)
    )
    query = select(Child).where(Child.id.in_(granted))
    key = decode_cursor(after, str, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.first_name, Child.id) > tuple_(*key))
    rows = (
        await session.scalars(query.order_by(Child.first_name, Child.id).limit(first + 1))
    ).all()
    total = (
        await session.scalar(select(func.count()).select_from(Child).where(Child.id.in_(granted)))
        or 0
    )
    return page_of(rows, first, total, key=lambda c: (c.first_name, str(c.id)))


async def open_grants_for_source(
    session: AsyncSession, source_id: uuid.UUID
) -> Sequence[AccessGrant]:
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.source_id == source_id, AccessGrant.closed_at.is_(None))
        .with_for_update(of=AccessGrant)
    )
    return (await session.scalars(query)).all()


async def open_grants_of_child(session: AsyncSession, child_id: uuid.UUID) -> Sequence[AccessGrant]:
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.child_id == child_id, AccessGrant.closed_at.is_(None))
        .with_for_update(of=AccessGrant)
    )
    return (await session.scalars(query)).all()


async def expired_open_grants(session: AsyncSession, *, today: date) -> Sequence[AccessGrant]:
    """Grants still open although the agreement behind them ended before today."""
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.closed_at.is_(None), AccessGrant.expires_on < today)
        .with_for_update(of=AccessGrant, skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def list_grants(
    session: AsyncSession,
    *,
    reach: Reach,
    child_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> Page[AccessGrant]:
    """The grants of the children the caller reaches, newest first."""
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    condition = reached(reach, AccessGrant.child_id)
    if child_id:
        condition = and_(condition, AccessGrant.child_id == child_id)
    query = select(AccessGrant).options(selectinload(AccessGrant.partner)).where(condition)
    total_query = select(func.count()).select_from(AccessGrant).where(condition)
    if key is not None:
        query = query.where(tuple_(AccessGrant.opened_at, AccessGrant.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(AccessGrant.opened_at.desc(), AccessGrant.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(total_query) or 0
    return page_of(rows, first, total, key=lambda g: (g.opened_at.isoformat(), str(g.id)))
