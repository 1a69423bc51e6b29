"""intake: the copy of care's contact-person assignments

Revision ID: 0003_contact_assignments
Revises: 0002_intake_complete
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from havn.migration_steps import create_contact_assignments, drop_contact_assignments

revision: str = "0003_contact_assignments"
down_revision: str | None = "0002_intake_complete"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_contact_assignments("intake")


def downgrade() -> None:
    drop_contact_assignments("intake")
