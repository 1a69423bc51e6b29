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
