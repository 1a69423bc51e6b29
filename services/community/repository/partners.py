"""Partner organisations: shared reference data of the whole platform (no RLS)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from havn.pagination import Page, decode_cursor, page_of
from services.community.models import Partner


async def get_partner_by_slug(session: AsyncSession, slug: str) -> Partner | None:
    return (await session.scalars(select(Partner).where(Partner.slug == slug))).one_or_none()


async def add_partner_if_new(session: AsyncSession, partner: Partner) -> Partner:
    """Registers the partner unless its slug is taken; returns the partner under that slug."""
    await session.execute(
        insert(Partner)
        .values(id=partner.id, slug=partner.slug, name=partner.name, kind=partner.kind)
        .on_conflict_do_nothing(index_elements=[Partner.slug])
    )
    stored = await get_partner_by_slug(session, partner.slug)
    assert stored is not None
    return stored


async def list_partners(session: AsyncSession, *, first: int, after: str | None) -> Page[Partner]:
    """Every partner on the platform, by slug."""
    query = select(Partner)
    key = decode_cursor(after, str)
    if key is not None:
        query = query.where(Partner.slug > key[0])
    rows = (await session.scalars(query.order_by(Partner.slug).limit(first + 1))).all()
    total = await session.scalar(select(func.count()).select_from(Partner)) or 0
    return page_of(rows, first, total, key=lambda p: (p.slug,))
