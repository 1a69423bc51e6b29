"""Every query of the transition service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.projection import add_if_new
from services.transition.models import Child, Transition


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def add_transition(session: AsyncSession, transition: Transition) -> None:
    session.add(transition)
    await session.flush()


async def transitions_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> Sequence[Transition]:
    query = (
        select(Transition)
        .options(selectinload(Transition.outcomes))
        .where(Transition.child_id.in_(child_ids))
        .order_by(Transition.child_id)
    )
    return (await session.scalars(query)).all()
