"""transition: only the system role crosses tenants in the event tables and idempotency keys

Revision ID: 0007_system_role
Revises: 0006_break_glass, r001_inbox_by_age, i001_idempotency_keys, s002_outcomes_by_person

What changes is said at `havn.migration_steps.system_role_only`. It also joins the schema's
branches into one history again.
"""

from __future__ import annotations

from alembic import op

from havn.events.migration import SYSTEM_FLAG_V1, SYSTEM_FLAG_V3
from havn.migration_steps import any_role_system_flag, system_role_only

revision = "0007_system_role"
down_revision = (
    "0006_break_glass",
    "r001_inbox_by_age",
    "i001_idempotency_keys",
    "s002_outcomes_by_person",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    system_role_only("transition")
    # The scheduler reads which tenants have milestones due under the same rule.
    op.execute(
        f"alter policy scheduler_reads_due on transition.milestones using ({SYSTEM_FLAG_V3})"
    )


def downgrade() -> None:
    any_role_system_flag("transition")
    op.execute(
        f"alter policy scheduler_reads_due on transition.milestones using ({SYSTEM_FLAG_V1})"
    )
