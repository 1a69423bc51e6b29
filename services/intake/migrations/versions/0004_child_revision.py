"""intake: a child's revision numbers the changes announced of it;
dead letters that are not envelopes

Revision ID: 0004_child_revision
Revises: 0003_contact_assignments
Create Date: 2026-12-05

Every existing child starts at revision 1, in intake and in every projection alike: only
the changes announced from here on are numbered, and they count on from there.
"""

from collections.abc import Sequence

from havn.migration_steps import add_child_revision, drop_child_revision

revision: str = "0004_child_revision"
down_revision: str | None = "0003_contact_assignments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_child_revision("intake")


def downgrade() -> None:
    drop_child_revision("intake")
