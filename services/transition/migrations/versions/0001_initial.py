"""transition: child projection, transition plans, outcomes, events

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from havn.db import enable_tenant_rls
from havn.events.migration import create_event_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "transition"
TENANT_TABLES = ("children", "transitions", "outcomes")


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "transitions",
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("plan_opens_on", sa.Date(), nullable=False),
        sa.Column("aftercare_decision", sa.String(16), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "outcomes",
        sa.Column(
            "child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.transitions.child_id"), primary_key=True
        ),
        sa.Column("milestone_years", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    create_event_tables_v1(SCHEMA)
    for table in TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")


def downgrade() -> None:
    # The event tables are the kernel's, in the same schema.
    for table in ("dead_letters", "inbox", "outbox", *reversed(TENANT_TABLES)):
        op.drop_table(table, schema=SCHEMA)
