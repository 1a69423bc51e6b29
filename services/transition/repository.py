"""Every query of the transition service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.transition.models import Child, Transition


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Adds the child's projection unless its id is taken; says whether it did.

    The id is taken when the event is redelivered, or when the child is another tenant's:
    the unique index sees rows that row-level security hides, so neither writes anything.
    """
    added = await session.scalar(
        insert(Child)
        .values(
            id=child.id,
            tenant_id=child.tenant_id,
            date_of_birth=child.date_of_birth,
            settled_on=child.settled_on,
        )
        .on_conflict_do_nothing(index_elements=[Child.id])
        .returning(Child.id)
    )
    return added is not None


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
