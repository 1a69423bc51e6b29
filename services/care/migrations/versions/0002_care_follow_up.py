"""care: contact persons, goal measures, approved versions, schedules, notes' corrections,
health, education and meetings

Revision ID: 0002_care_follow_up
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from havn.db import enable_tenant_rls

revision: str = "0002_care_follow_up"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "care"
NEW_TENANT_TABLES = (
    "care_plan_versions",
    "assessment_schedules",
    "health_profiles",
    "health_screenings",
    "mental_health_referrals",
    "education",
    "meetings",
)


def child_fk() -> sa.Column:
    return sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), nullable=False)


def upgrade() -> None:
    op.add_column("children", sa.Column("full_name", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column("children", sa.Column("contact_person", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column(
        "children", sa.Column("contact_assigned_on", sa.Date(), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "children",
        sa.Column(
            "interpreter_needed", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_children_contact_person", "children", ["tenant_id", "contact_person"], schema=SCHEMA
    )
    op.add_column("care_plans", sa.Column("approved_by", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column(
        "care_goals",
        sa.Column(
            "measures",
            postgresql.ARRAY(sa.Text()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    op.add_column(
        "care_goals",
        sa.Column("responsible", sa.Text(), server_default=sa.text("''"), nullable=False),
        schema=SCHEMA,
    )
    op.add_column("assessments", sa.Column("recorded_by", sa.Text(), nullable=True), schema=SCHEMA)
    op.add_column(
        "follow_up_notes", sa.Column("corrects_id", sa.Uuid(), nullable=True), schema=SCHEMA
    )
    op.add_column(
        "follow_up_notes",
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "care_plan_versions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        child_fk(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(), nullable=False),
        sa.Column("changes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.UniqueConstraint("child_id", "version"),
        schema=SCHEMA,
    )
    op.create_table(
        "assessment_schedules",
        sa.Column("tenant_id", sa.String(4), primary_key=True),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "health_profiles",
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("gp_name", sa.Text(), nullable=False),
        sa.Column("gp_practice", sa.Text(), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "health_screenings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        child_fk(),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_health_screenings_child",
        "health_screenings",
        ["child_id", "screened_on"],
        schema=SCHEMA,
    )
    op.create_table(
        "mental_health_referrals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        child_fk(),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_mental_health_referrals_child",
        "mental_health_referrals",
        ["child_id", "referred_on"],
        schema=SCHEMA,
    )
    op.create_table(
        "education",
        sa.Column("child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.children.id"), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("school", sa.Text(), nullable=False),
        sa.Column("class_level", sa.Text(), nullable=False),
        sa.Column("norwegian_level", sa.String(8), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        child_fk(),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("language", sa.String(3), nullable=False),
        sa.Column("interpreter_name", sa.Text(), nullable=True),
        sa.Column("interpreter_qualified", sa.Boolean(), nullable=True),
        sa.Column("interpreter_missing", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_meetings_child", "meetings", ["child_id", "held_on", "id"], schema=SCHEMA)
    for table in NEW_TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")


def downgrade() -> None:
    for table in reversed(NEW_TENANT_TABLES):
        op.drop_table(table, schema=SCHEMA)
    op.drop_column("follow_up_notes", "edited_at", schema=SCHEMA)
    op.drop_column("follow_up_notes", "corrects_id", schema=SCHEMA)
    op.drop_column("assessments", "recorded_by", schema=SCHEMA)
    op.drop_column("care_goals", "responsible", schema=SCHEMA)
    op.drop_column("care_goals", "measures", schema=SCHEMA)
    op.drop_column("care_plans", "approved_by", schema=SCHEMA)
    op.drop_index("ix_children_contact_person", "children", schema=SCHEMA)
    for column in ("interpreter_needed", "contact_assigned_on", "contact_person", "full_name"):
        op.drop_column("children", column, schema=SCHEMA)
