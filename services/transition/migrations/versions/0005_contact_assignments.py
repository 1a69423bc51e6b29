"""transition: the copy of care's contact-person assignments

Revision ID: 0005_contact_assignments
Revises: 0004_child_revision
Create Date: 2026-12-05

A contact person reaches only the children assigned to them (havn.reach). The new consumers
start at the beginning of the stream, so assignments made before still arrive.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from havn.db import enable_tenant_rls

revision: str = "0005_contact_assignments"
down_revision: str | None = "0004_child_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_assignments",
        sa.Column("child_id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        schema="transition",
    )
    op.create_index(
        "ix_contact_assignments_username", "contact_assignments", ["username"], schema="transition"
    )
    enable_tenant_rls("transition.contact_assignments")


def downgrade() -> None:
    op.drop_table("contact_assignments", schema="transition")
