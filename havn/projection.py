"""Event-carried state: each service keeps its own copy of what it needs of a child.

Intake numbers the changes of a child it announces (child.settled is revision 1, each
child.updated and child.relocated the next), and each projection of the child keeps the
revision it has applied. `follow_revision` is the one place that decides, for every
consumer, whether an event about the child comes next, came before or must wait.
"""

from __future__ import annotations

import uuid
from typing import Protocol, TypeGuard, TypeVar

from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from havn.events.consumer import NotYetApplicable


class ChildProjection(Protocol):
    """A service's row of a child, with the revision of intake's last change it applied."""

    id: uuid.UUID
    revision: int


P = TypeVar("P", bound=ChildProjection)


async def add_if_new(session: AsyncSession, row: DeclarativeBase) -> bool:
    """Inserts a projection row unless its primary key is taken; says whether it did.

    The key is taken when an event is delivered again, or when the row is another tenant's:
    the unique index sees rows that row-level security hides, so neither writes anything.
    """
    mapper = inspect(type(row))
    values = {
        column.key: getattr(row, column.key)
        for column in mapper.column_attrs
        if getattr(row, column.key) is not None
    }
    added = await session.scalar(
        insert(type(row)).values(**values).on_conflict_do_nothing().returning(*mapper.primary_key)
    )
    return added is not None


def follow_revision(projection: P | None, revision: int | None) -> TypeGuard[P]:
    """Says whether an event about the child is to be applied now, and if so records it.

    The event comes next (`revision` is one more than the projection's): it is recorded
    as applied and True returned, for the caller to apply it in the same transaction. It
    came before (a stale or repeated change): False, to acknowledge it and change nothing.
    The child is not here yet, or changes before it are still on their way:
    `NotYetApplicable`, so the consumer delivers it again later. An event without a
    revision (published before they existed) is applied as it always was, when the child
    is here.
    """
    if revision is None:
        return projection is not None
    if projection is None:
        raise NotYetApplicable(f"revision {revision} of a child not here (yet)")
    if revision <= projection.revision:
        return False
    if revision > projection.revision + 1:
        raise NotYetApplicable(
            f"revision {revision} of child {projection.id}, which is at {projection.revision}"
        )
    projection.revision = revision
    return True
