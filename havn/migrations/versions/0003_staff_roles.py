"""Staff roles: who has acted in which municipality with which role (insert-only).

Revision ID: 0003_staff_roles
Revises: 0002_access_log_by_time
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from havn.db import enable_tenant_rls

revision = "0003_staff_roles"
down_revision = "0002_access_log_by_time"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_roles",
        sa.Column("tenant_id", sa.String(4), primary_key=True),
        sa.Column("username", sa.Text(), primary_key=True),
        sa.Column("role", sa.Text(), primary_key=True),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        schema="audit",
    )
    enable_tenant_rls("audit.staff_roles")


def downgrade() -> None:
    op.drop_table("staff_roles", schema="audit")
