"""care: child projection, care plans and goals, assessments, follow-up notes, events

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

SCHEMA = "care"
TENANT_TABLES = ("children", "care_plans", "care_goals", "assessments", "follow_up_notes")


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "care_plans",
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("childs_own_words", sa.Text(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("next_assessment_due", sa.Date(), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "care_goals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column(
            "child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.care_plans.child_id"), nullable=False
        ),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("ix_care_goals_child", "care_goals", ["child_id"], schema=SCHEMA)
    op.create_table(
        "assessments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("scores", postgresql.JSONB(), nullable=False),
        sa.Column("childs_own_words", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_assessments_child", "assessments", ["child_id", "assessed_on"], schema=SCHEMA
    )
    op.create_table(
        "follow_up_notes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_follow_up_notes_child",
        "follow_up_notes",
        ["child_id", "written_at", "id"],
        schema=SCHEMA,
    )
    create_event_tables_v1(SCHEMA)
    for table in TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")


def downgrade() -> None:
    # The event tables are the kernel's, in the same schema.
    for table in ("dead_letters", "inbox", "outbox", *reversed(TENANT_TABLES)):
        op.drop_table(table, schema=SCHEMA)
