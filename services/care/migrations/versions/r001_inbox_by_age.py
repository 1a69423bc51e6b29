"""care: the inbox indexed by age, for the retention sweep

Revision ID: r001_inbox_by_age
Revises: 0005_languages
"""

from __future__ import annotations

from havn.events.migration import drop_inbox_age_index_v3, index_inbox_by_age_v3

revision = "r001_inbox_by_age"
down_revision = "0005_languages"
branch_labels = None
depends_on = None

SCHEMA = "care"


def upgrade() -> None:
    index_inbox_by_age_v3(SCHEMA)


def downgrade() -> None:
    drop_inbox_age_index_v3(SCHEMA)
