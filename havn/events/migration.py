"""Migration steps for the event tables, shared by every service's initial migration."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from havn.events.tables import event_tables_rls_sql


def create_event_tables_v1(schema: str) -> None:
    """Creates the outbox, inbox and dead letters (version 1) in a service schema, under RLS.

    Frozen like any migration: a later change to the tables is a new function here.
    """
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("headers", postgresql.JSONB(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.clock_timestamp(),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        schema=schema,
    )
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["created_at"],
        schema=schema,
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column(
            "received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
        schema=schema,
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Uuid(), server_default=sa.func.gen_random_uuid(), primary_key=True),
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("headers", postgresql.JSONB(), nullable=False),
        sa.Column("error_type", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column(
            "parked_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        schema=schema,
    )
    op.create_index(
        "ix_dead_letters_parked",
        "dead_letters",
        [sa.text("parked_at DESC"), sa.text("id DESC")],
        schema=schema,
    )
    for statement in event_tables_rls_sql(schema):
        op.execute(statement)


def keep_malformed_dead_letters_v2(schema: str) -> None:
    """Lets a dead letter be a message that is not an envelope: no event id, no tenant.

    Such a row matches no tenant's policy, so only a system transaction (the operator's
    view) sees it.
    """
    for column in ("event_id", "tenant_id"):
        op.alter_column("dead_letters", column, nullable=True, schema=schema)


def require_envelope_dead_letters_v2(schema: str) -> None:
    """Undoes `keep_malformed_dead_letters_v2`, dropping the dead letters it allowed."""
    op.execute(f"delete from {schema}.dead_letters where event_id is null or tenant_id is null")
    for column in ("event_id", "tenant_id"):
        op.alter_column("dead_letters", column, nullable=False, schema=schema)


def index_inbox_by_age_v3(schema: str) -> None:
    """Indexes the inbox by `received_at`: the retention sweep purges the oldest rows."""
    op.create_index("ix_inbox_received", "inbox", ["received_at"], schema=schema)


def drop_inbox_age_index_v3(schema: str) -> None:
    """Undoes `index_inbox_by_age_v3`."""
    op.drop_index("ix_inbox_received", "inbox", schema=schema)


# The `havn.system` flag as each version of the event tables' policies reads it: v1 alone
# (any role could set it), v3 only for a member of the system role.
SYSTEM_FLAG_V1 = "(select current_setting('havn.system', true)) = 'on'"
SYSTEM_FLAG_V3 = (
    "(select current_setting('havn.system', true) = 'on' and pg_has_role('havn_system', 'member'))"
)
_TENANT = "tenant_id = (select current_setting('havn.tenant', true))"


def event_tables_system_flag(schema: str, flag: str) -> None:
    """Has the event tables' policies open every tenant's rows when `flag` holds.

    `system_role_only_v3` in an upgrade (the system role alone may cross tenants there),
    `SYSTEM_FLAG_V1` in its downgrade.
    """
    condition = f"({_TENANT}) or ({flag})"
    for table in ("outbox", "inbox", "dead_letters"):
        op.execute(
            f"alter policy tenant_isolation on {schema}.{table} "
            f"using ({condition}) with check ({condition})"
        )


def system_role_only_v3(schema: str) -> None:
    """The `havn.system` flag opens the event tables to the system role only."""
    event_tables_system_flag(schema, SYSTEM_FLAG_V3)
