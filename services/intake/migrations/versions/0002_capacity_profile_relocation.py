"""intake: capacity, checklist owners and notes, withdrawal, child profile, relocation

Revision ID: 0002_intake_complete
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from havn.db import enable_tenant_rls
from services.intake.domain.identity import fold_for_search

revision: str = "0002_intake_complete"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "intake"
# The directorate's allocator reads every municipality's capacity counts, and writes none.
DIRECTORATE_READS = "(select current_setting('havn.allocator', true)) <> ''"
CAPACITY_TABLES = ("settlement_decisions", "care_places", "referral_counts")
# The receiving municipality sees (and decides on) a relocation proposed to it.
RECEIVER_CONDITION = "to_tenant = (select current_setting('havn.tenant', true))"


def upgrade() -> None:
    op.add_column("referrals", sa.Column("withdraw_reason", sa.Text()), schema=SCHEMA)
    op.add_column("preparation_tasks", sa.Column("owner", sa.Text()), schema=SCHEMA)
    op.add_column("preparation_tasks", sa.Column("notes", sa.Text()), schema=SCHEMA)

    for column in (
        sa.Column("name_search", sa.Text(), nullable=False, server_default=""),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("interpreter_language", sa.String(3)),
        sa.Column("representative_name", sa.Text()),
        sa.Column("representative_appointed_on", sa.Date()),
        sa.Column("guardian_name", sa.Text()),
        sa.Column("guardian_appointed_on", sa.Date()),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    ):
        op.add_column("children", column, schema=SCHEMA)
    _fold_existing_names()

    op.create_table(
        "settlement_decisions",
        sa.Column(
            "tenant_id",
            sa.String(4),
            sa.ForeignKey("intake.municipalities.number"),
            primary_key=True,
        ),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("minors", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minors >= 0", name="ck_settlement_decisions_minors"),
        schema=SCHEMA,
    )
    op.create_table(
        "care_places",
        sa.Column(
            "tenant_id",
            sa.String(4),
            sa.ForeignKey("intake.municipalities.number"),
            primary_key=True,
        ),
        sa.Column("care_arrangement", sa.String(24), primary_key=True),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("free", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("free >= 0 and free <= places", name="ck_care_places_free"),
        schema=SCHEMA,
    )
    op.create_table(
        "referral_counts",
        sa.Column(
            "tenant_id",
            sa.String(4),
            sa.ForeignKey("intake.municipalities.number"),
            primary_key=True,
        ),
        sa.Column("pending", sa.Integer(), nullable=False, server_default=sa.text("0")),
        schema=SCHEMA,
    )
    op.create_table(
        "staff_members",
        sa.Column("tenant_id", sa.String(4), primary_key=True),
        sa.Column("username", sa.Text(), primary_key=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    op.create_table(
        "relocations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "tenant_id", sa.String(4), sa.ForeignKey("intake.municipalities.number"), nullable=False
        ),
        sa.Column(
            "to_tenant", sa.String(4), sa.ForeignKey("intake.municipalities.number"), nullable=False
        ),
        sa.Column("child_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("child_first_name", sa.Text(), nullable=False),
        sa.Column("child_date_of_birth", sa.Date(), nullable=False),
        sa.Column("child_languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("proposed_by", sa.Text(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Text()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decline_reason", sa.Text()),
        sa.Column("care_arrangement", sa.String(24)),
        sa.Column("relocated_on", sa.Date()),
        schema=SCHEMA,
    )
    op.create_index(
        "ux_relocations_open_per_child",
        "relocations",
        ["child_id"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("status = 'PROPOSED'"),
    )
    op.create_index(
        "ix_relocations_to_tenant", "relocations", ["to_tenant", "proposed_at"], schema=SCHEMA
    )
    op.create_index(
        "ix_relocations_tenant", "relocations", ["tenant_id", "proposed_at"], schema=SCHEMA
    )

    for table in CAPACITY_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")
        # Permissive policies add up: a second one for reading only, and only for allocators.
        op.execute(
            f"create policy directorate_reads on {SCHEMA}.{table} for select "
            f"using ({DIRECTORATE_READS})"
        )
    enable_tenant_rls(f"{SCHEMA}.staff_members")
    enable_tenant_rls(f"{SCHEMA}.relocations", RECEIVER_CONDITION)


def _fold_existing_names() -> None:
    """Fills the search column of children settled before it existed, in every tenant."""
    table = f"{SCHEMA}.children"
    connection = op.get_bind()
    # The owner is bound by forced RLS too; lifted for this one backfill, inside the migration.
    op.execute(f"alter table {table} no force row level security")
    rows = connection.execute(sa.text(f"select id, full_name from {table}")).all()
    for child_id, full_name in rows:
        connection.execute(
            sa.text(f"update {table} set name_search = :folded where id = :id"),
            {"folded": fold_for_search(full_name), "id": child_id},
        )
    op.execute(f"alter table {table} force row level security")


def downgrade() -> None:
    for table in ("relocations", "staff_members", *reversed(CAPACITY_TABLES)):
        op.drop_table(table, schema=SCHEMA)
    for column in (
        "updated_at",
        "guardian_appointed_on",
        "guardian_name",
        "representative_appointed_on",
        "representative_name",
        "interpreter_language",
        "interpreter_needed",
        "name_search",
    ):
        op.drop_column("children", column, schema=SCHEMA)
    op.drop_column("preparation_tasks", "notes", schema=SCHEMA)
    op.drop_column("preparation_tasks", "owner", schema=SCHEMA)
    op.drop_column("referrals", "withdraw_reason", schema=SCHEMA)
