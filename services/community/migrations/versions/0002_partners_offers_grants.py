"""community: partners, agreements, offers, volunteers, matches, grants, attendance, funding

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from havn.db import enable_tenant_rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "community"
NEW_TENANT_TABLES = (
    "settings",
    "agreements",
    "offers",
    "volunteers",
    "matches",
    "grants",
    "attendance",
    "funding_applications",
)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _tenant() -> sa.Column[object]:
    return sa.Column("tenant_id", sa.String(4), nullable=False)


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _fk(column: str, table: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(column, sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.{table}.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "municipalities", sa.Column("number", sa.String(4), primary_key=True), schema=SCHEMA
    )
    op.create_table(
        "partners",
        _id(),
        sa.Column("slug", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        _created_at(),
        schema=SCHEMA,
    )
    op.create_table(
        "settings",
        sa.Column("tenant_id", sa.String(4), primary_key=True),
        sa.Column("police_certificate_months", sa.Integer(), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "agreements",
        _id(),
        _tenant(),
        _fk("partner_id", "partners"),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_agreements_partner", "agreements", ["partner_id", "valid_from"], schema=SCHEMA
    )
    op.create_table(
        "offers",
        _id(),
        _tenant(),
        _fk("partner_id", "partners"),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=True),
        _created_at(),
        schema=SCHEMA,
    )
    op.create_index("ix_offers_partner", "offers", ["partner_id", "created_at"], schema=SCHEMA)
    op.create_table(
        "volunteers",
        _id(),
        _tenant(),
        _fk("partner_id", "partners"),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("interests", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("police_certificate_checked_on", sa.Date(), nullable=True),
        _created_at(),
        schema=SCHEMA,
    )
    # Enrolments so far named offers that did not exist yet; from here they need one.
    op.add_column(
        "enrolments", sa.Column("consent_recorded_by", sa.Text(), nullable=False), schema=SCHEMA
    )
    op.add_column(
        "enrolments",
        sa.Column("consent_recorded_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_foreign_key(
        "enrolments_offer_id_fkey",
        "enrolments",
        "offers",
        ["offer_id"],
        ["id"],
        source_schema=SCHEMA,
        referent_schema=SCHEMA,
    )
    op.create_index("ix_enrolments_offer", "enrolments", ["offer_id", "started_on"], schema=SCHEMA)
    op.create_table(
        "matches",
        _id(),
        _tenant(),
        _fk("child_id", "children"),
        _fk("volunteer_id", "volunteers"),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("consent_recorded_by", sa.Text(), nullable=False),
        sa.Column("consent_recorded_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("ix_matches_child", "matches", ["child_id", "started_on"], schema=SCHEMA)
    op.create_table(
        "grants",
        _id(),
        _tenant(),
        _fk("child_id", "children"),
        _fk("partner_id", "partners"),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        schema=SCHEMA,
    )
    op.create_index("ix_grants_partner_child", "grants", ["partner_id", "child_id"], schema=SCHEMA)
    op.create_index("ix_grants_source", "grants", ["source_id"], schema=SCHEMA)
    op.create_table(
        "attendance",
        _id(),
        _tenant(),
        _fk("enrolment_id", "enrolments"),
        _fk("child_id", "children"),
        sa.Column("attended_on", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_org", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("enrolment_id", "attended_on"),
        schema=SCHEMA,
    )
    op.create_table(
        "funding_applications",
        _id(),
        _tenant(),
        sa.Column("foundation", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("amount_nok", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("granted_nok", sa.BigInteger(), nullable=True),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_funding_applied", "funding_applications", ["applied_on", "id"], schema=SCHEMA
    )
    for table in NEW_TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")


def downgrade() -> None:
    for table in ("funding_applications", "attendance", "grants", "matches"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_index("ix_enrolments_offer", "enrolments", schema=SCHEMA)
    op.drop_constraint("enrolments_offer_id_fkey", "enrolments", schema=SCHEMA)
    op.drop_column("enrolments", "consent_recorded_at", schema=SCHEMA)
    op.drop_column("enrolments", "consent_recorded_by", schema=SCHEMA)
    for table in ("volunteers", "offers", "agreements", "settings", "partners", "municipalities"):
        op.drop_table(table, schema=SCHEMA)
