"""Event-carried state: each service keeps its own copy of what it needs of a child."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


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
