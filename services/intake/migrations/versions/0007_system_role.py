"""intake: only the system role crosses tenants in the event tables and idempotency keys

Revision ID: 0007_system_role
Revises: 0006_break_glass, r001_inbox_by_age, i001_idempotency_keys, s001_statistics

What changes is said at `havn.migration_steps.system_role_only`. It also joins the schema's
branches into one history again.
"""

from __future__ import annotations

from havn.migration_steps import any_role_system_flag, system_role_only

revision = "0007_system_role"
down_revision = (
    "0006_break_glass",
    "r001_inbox_by_age",
    "i001_idempotency_keys",
    "s001_statistics",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    system_role_only("intake")


def downgrade() -> None:
    any_role_system_flag("intake")
