"""Moving a child from one municipality to another, in one service's tables.

Row-level security will not let a transaction in one tenant write a row of another, so a
relocation deletes the child's rows in the sending tenant and inserts them in the
receiving one, in the caller's transaction: all of it moves, or none of it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, MetaData, Table, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from havn.db import act_in_tenant

# Event plumbing is not the child's data: it stays where it was written.
_NOT_MOVED = frozenset({"outbox", "inbox", "dead_letters"})
# Deleted in the sending tenant, never written in the receiving one: the contact person is a
# user of the municipality the child left (havn.reach), who no longer reaches the child.
_LEFT_BEHIND = frozenset({"contact_assignments"})


def child_column(table: Table) -> Column[uuid.UUID] | None:
    """The column that names the child in a table: `child_id`, or the projection's `id`."""
    if "child_id" in table.c:
        column: Column[uuid.UUID] = table.c.child_id
        return column
    if table.name == "children":
        column = table.c.id
        return column
    return None


async def move_child(
    session: AsyncSession,
    metadata: MetaData,
    *,
    child_id: uuid.UUID,
    from_tenant: str,
    to_tenant: str,
) -> int:
    """Moves every row naming the child to another tenant; returns how many rows moved.

    Tables are taken from `metadata` (those with `tenant_id` and a child column), deleted
    children-first and inserted parents-first, so foreign keys hold throughout.
    """
    tables = [
        table
        for table in metadata.sorted_tables
        if table.name not in _NOT_MOVED
        and "tenant_id" in table.c
        and child_column(table) is not None
    ]
    await act_in_tenant(session, from_tenant)
    moved: list[tuple[Table, list[dict[str, object]]]] = []
    for table in reversed(tables):
        column = child_column(table)
        assert column is not None
        result = await session.execute(delete(table).where(column == child_id).returning(*table.c))
        if table.name not in _LEFT_BEHIND:
            moved.append((table, [dict(row) for row in result.mappings()]))
    await act_in_tenant(session, to_tenant)
    for table, rows in reversed(moved):
        if rows:
            await session.execute(insert(table), [{**row, "tenant_id": to_tenant} for row in rows])
    return sum(len(rows) for _, rows in moved)
