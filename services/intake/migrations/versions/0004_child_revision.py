"""intake: a child's revision numbers the changes announced of it;
dead letters that are not envelopes

Revision ID: 0004_child_revision
Revises: 0003_contact_assignments
Create Date: 2026-12-05

Every existing child starts at revision 1, in intake and in every projection alike: only
the changes announced from here on are numbered, and they count on from there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from havn.events.migration import keep_malformed_dead_letters_v2, require_envelope_dead_letters_v2

revision: str = "0004_child_revision"
down_revision: str | None = "0003_contact_assignments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "intake"


def upgrade() -> None:
    op.add_column(
        "children",
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        schema=SCHEMA,
    )
    keep_malformed_dead_letters_v2(SCHEMA)


def downgrade() -> None:
    require_envelope_dead_letters_v2(SCHEMA)
    op.drop_column("children", "revision", schema=SCHEMA)
