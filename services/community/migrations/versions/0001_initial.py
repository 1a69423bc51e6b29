"""community: child projection with interests, enrolments, events

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from havn.db import enable_tenant_rls
from havn.events.migration import create_event_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "community"
TENANT_TABLES = ("children", "enrolments")


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column(
            "interests", postgresql.ARRAY(sa.Text()), nullable=False, server_default=sa.text("'{}'")
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("ix_enrolments_child", "enrolments", ["child_id", "started_on"], schema=SCHEMA)
    create_event_tables_v1(SCHEMA)
    for table in TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")


def downgrade() -> None:
    # The event tables are the kernel's, in the same schema.
    for table in ("dead_letters", "inbox", "outbox", *reversed(TENANT_TABLES)):
        op.drop_table(table, schema=SCHEMA)
