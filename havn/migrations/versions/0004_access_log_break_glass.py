"""Access log: an entry made while the actor had broken the glass names the access it was under.

Revision ID: 0004_access_log_break_glass
Revises: 0003_staff_roles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_access_log_break_glass"
down_revision = "0003_staff_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "access_log",
        sa.Column("break_glass_access_id", sa.Uuid(), nullable=True),
        schema="audit",
    )
    # The admin's review counts the reads made under each access.
    op.create_index(
        "ix_access_log_break_glass",
        "access_log",
        ["break_glass_access_id"],
        schema="audit",
        postgresql_where=sa.text("break_glass_access_id is not null"),
    )


def downgrade() -> None:
    op.drop_index("ix_access_log_break_glass", table_name="access_log", schema="audit")
    op.drop_column("access_log", "break_glass_access_id", schema="audit")
