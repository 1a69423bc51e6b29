"""Who works in which municipality with which role, as Havn has seen them act.

The identity provider is the directory of users, and services hold no credentials to its
admin API; so each municipal user's roles are noted, per municipality, from their verified
token the first time they act in it. A rule that names a user by role (only a contact
person can be made one) reads this one table. One row per (municipality, user, role),
insert-only in the kernel's schema, tenant-isolated like every other table.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import metadata
from havn.auth import Principal, Role
from havn.auth.policy import MUNICIPAL_ROLES
from havn.pagination import Page, decode_cursor, page_of

staff_roles = Table(
    "staff_roles",
    metadata,
    Column("tenant_id", String(4), primary_key=True),
    Column("username", Text, primary_key=True),
    Column("role", Text, primary_key=True),
    Column("first_seen_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


async def note_staff_roles(session: AsyncSession, principal: Principal) -> None:
    """Notes the municipal roles of a user acting in a municipality (one idempotent statement)."""
    roles = sorted(role.value for role in principal.roles if role in MUNICIPAL_ROLES)
    if principal.tenant is None or not roles:
        return
    await session.execute(
        insert(staff_roles)
        .values(
            [
                {"tenant_id": principal.tenant, "username": principal.username, "role": role}
                for role in roles
            ]
        )
        .on_conflict_do_nothing()
    )


async def holds_role(session: AsyncSession, *, username: str, role: Role) -> bool:
    """Whether the user has acted with `role` in the transaction's municipality (RLS)."""
    query = select(
        exists().where(staff_roles.c.username == username, staff_roles.c.role == role.value)
    )
    return bool(await session.scalar(query))


async def holders_of(
    session: AsyncSession, *, role: Role, first: int, after: str | None
) -> Page[str]:
    """The users who have acted with `role` in the transaction's municipality (RLS), a page
    at a time by username."""
    holding = staff_roles.c.role == role.value
    query = select(staff_roles.c.username).where(holding)
    key = decode_cursor(after, str)
    if key is not None:
        query = query.where(staff_roles.c.username > key[0])
    query = query.order_by(staff_roles.c.username).limit(first + 1)
    usernames = (await session.scalars(query)).all()
    total = await session.scalar(select(func.count()).select_from(staff_roles).where(holding))
    return page_of(usernames, first, total or 0, key=lambda username: (username,))
