"""Every query of the community service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.community.models import Child


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
            first_name=child.first_name,
            date_of_birth=child.date_of_birth,
            languages=child.languages,
            interests=child.interests,
        )
        .on_conflict_do_nothing(index_elements=[Child.id])
        .returning(Child.id)
    )
    return added is not None


async def children_by_ids(session: AsyncSession, child_ids: Sequence[uuid.UUID]) -> Sequence[Child]:
    """The children with their enrolments, in two statements whatever the number of ids."""
    query = (
        select(Child)
        .options(selectinload(Child.enrolments))
        .where(Child.id.in_(child_ids))
        .order_by(Child.id)
    )
    return (await session.scalars(query)).all()
