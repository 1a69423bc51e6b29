"""Children as community keeps them, and which of them a caller reaches."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from havn.projection import add_if_new
from havn.reach import Reach, assigned_children
from services.community.models import Child, ContactAssignment, Enrolment, Offer


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def get_child(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Child | None:
    query = select(Child).where(Child.id == child_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


def reached(reach: Reach, child_id: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    return reach.where(child_id, assigned_children(ContactAssignment, child_id))


async def children_by_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[Child]:
    """The children with their enrolments, offers and partners, in two statements.

    Offers and partners are joined into the enrolments' statement, so the count does not
    depend on whether any child on the page is enrolled.
    """
    query = (
        select(Child)
        .options(
            selectinload(Child.enrolments).joinedload(Enrolment.offer).joinedload(Offer.partner)
        )
        .where(Child.id.in_(child_ids), reached(reach, Child.id))
        .order_by(Child.id)
    )
    return (await session.scalars(query)).all()
