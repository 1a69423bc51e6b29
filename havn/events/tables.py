"""The outbox, inbox and dead-letter tables every service adds to its schema, and their RLS.

Rows are tenant-isolated like every other table, except in a transaction of the system role
(`havn_system`) that turns on the `havn.system` flag: the relay (which publishes every
tenant's events), the consumers' dead letters and the operator's view of them work that
way. The role is the barrier: the application role may set the flag, and sees nothing more
for it. The flag, transaction-local like the tenant, keeps the system role's own tenant-bound
transactions (a consumer applying an event) inside their tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NamedTuple

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import SYSTEM_ROLE, tenant_policy_sql

SYSTEM_CONDITION = (
    f"(select current_setting('havn.system', true) = 'on' "
    f"and pg_has_role('{SYSTEM_ROLE}', 'member'))"
)
_SYSTEM_SCOPE = text("select set_config('havn.system', 'on', true)")


class EventTables(NamedTuple):
    outbox: Table
    inbox: Table
    dead_letters: Table


def event_tables(metadata: MetaData) -> EventTables:
    """Adds the three event tables to a service's metadata (in `metadata.schema`)."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("tenant_id", String(4), nullable=False),
        Column("subject", Text, nullable=False),
        Column("event_type", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False),
        # clock_timestamp(), not now(): events of one transaction keep the order they were written.
        Column(
            "created_at",
            DateTime(timezone=True),
            nullable=False,
            server_default=func.clock_timestamp(),
        ),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default="0"),
    )
    # The relay only ever looks for unsent rows; sent ones must not slow it down.
    Index("ix_outbox_unsent", outbox.c.created_at, postgresql_where=outbox.c.sent_at.is_(None))
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("tenant_id", String(4), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    # The retention sweep takes the oldest rows; a month of them must not be scanned for it.
    Index("ix_inbox_received", inbox.c.received_at)
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", Uuid, primary_key=True, server_default=func.gen_random_uuid()),
        Column("consumer", Text, nullable=False),
        # Both null for a message that is not an envelope: only the system scope sees it.
        Column("event_id", Uuid),
        Column("subject", Text, nullable=False),
        Column("tenant_id", String(4)),
        # The envelope, or the text of a message that is not one.
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False),
        # The exception's class is for the operator; its message, which may quote personal
        # data (a validation error shows the values), stays in the database.
        Column("error_type", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("replayed_at", DateTime(timezone=True)),
    )
    Index("ix_dead_letters_parked", dead_letters.c.parked_at.desc(), dead_letters.c.id.desc())
    return EventTables(outbox, inbox, dead_letters)


def event_tables_rls_sql(schema: str) -> list[str]:
    """The statements that put the three event tables under tenant RLS (system flag aside)."""
    return [
        statement
        for table in EventTables._fields
        for statement in tenant_policy_sql(f"{schema}.{table}", extra_condition=SYSTEM_CONDITION)
    ]


def outbox_channel(outbox: Table) -> str:
    """The LISTEN/NOTIFY channel that wakes the relay of one service's outbox."""
    return f"havn_outbox_{outbox.schema or 'public'}"


@asynccontextmanager
async def system_transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Opens one transaction that sees every tenant's event rows (and no other table's);
    `sessionmaker` must connect as the system role."""
    async with sessionmaker() as session, session.begin():
        await session.execute(_SYSTEM_SCOPE)
        yield session
