"""intake: municipalities, referrals, preparation checklist, children, event tables

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

SCHEMA = "intake"
# The allocator who created a referral sees it in any municipality (DOMAIN.md).
ALLOCATOR_CONDITION = "created_by = (select current_setting('havn.allocator', true))"


def upgrade() -> None:
    op.create_table(
        "municipalities",
        sa.Column("number", sa.String(4), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "tenant_id", sa.String(4), sa.ForeignKey("intake.municipalities.number"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("needs_summary", sa.Text(), nullable=True),
        sa.Column("proposed_arrival", sa.Date(), nullable=True),
        sa.Column("respond_by", sa.Date(), nullable=False),
        sa.Column("planned_arrival", sa.Date(), nullable=True),
        sa.Column("care_arrangement", sa.String(24), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("child_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_referrals_tenant_status",
        "referrals",
        ["tenant_id", "status", "respond_by"],
        schema=SCHEMA,
    )
    op.create_index("ix_referrals_created_by", "referrals", ["created_by"], schema=SCHEMA)
    op.create_table(
        "preparation_tasks",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column(
            "referral_id",
            sa.Uuid(),
            sa.ForeignKey("intake.referrals.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_by", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("referral_id", "kind"),
        schema=SCHEMA,
    )
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column(
            "referral_id",
            sa.Uuid(),
            sa.ForeignKey("intake.referrals.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("date_of_birth_estimated", sa.Boolean(), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("care_arrangement", sa.String(24), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_children_tenant_settled", "children", ["tenant_id", "settled_on", "id"], schema=SCHEMA
    )
    create_event_tables_v1(SCHEMA)
    enable_tenant_rls("intake.referrals", ALLOCATOR_CONDITION)
    enable_tenant_rls("intake.preparation_tasks")
    enable_tenant_rls("intake.children")


def downgrade() -> None:
    for table in (
        "dead_letters",
        "inbox",
        "outbox",
        "children",
        "preparation_tasks",
        "referrals",
        "municipalities",
    ):  # event tables are the kernel's, same schema
        op.drop_table(table, schema=SCHEMA)
