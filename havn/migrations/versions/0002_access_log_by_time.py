"""The access log is read newest first by time: index (tenant, child, at, id).

Revision ID: 0002_access_log_by_time
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002_access_log_by_time"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_access_log_child_at",
        "access_log",
        ["tenant_id", "child_id", "at", "id"],
        schema="audit",
    )
    op.drop_index("ix_access_log_child", table_name="access_log", schema="audit")


def downgrade() -> None:
    op.create_index(
        "ix_access_log_child", "access_log", ["tenant_id", "child_id", "id"], schema="audit"
    )
    op.drop_index("ix_access_log_child_at", table_name="access_log", schema="audit")
