"""Every query of the community service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.projection import add_if_new
from services.community.models import Child


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def children_by_ids(session: AsyncSession, child_ids: Sequence[uuid.UUID]) -> Sequence[Child]:
    """The children with their enrolments, in two statements whatever the number of ids."""
    query = (
        select(Child)
        .options(selectinload(Child.enrolments))
        .where(Child.id.in_(child_ids))
        .order_by(Child.id)
    )
    return (await session.scalars(query)).all()
