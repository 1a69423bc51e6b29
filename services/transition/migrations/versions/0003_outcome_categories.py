"""transition: a child's sex, nationality group and care arrangement, for outcome statistics

Revision ID: 0003_outcome_categories
Revises: 0002_timeline
Create Date: 2026-11-22

Only the categories outcomes are counted under, and of the nationality only its group (a
named country or a region). Children already here stay null: transition never heard these
facts, and they fill in when intake next publishes the child (child.updated).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_outcome_categories"
down_revision: str | None = "0002_timeline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "transition"


def upgrade() -> None:
    for column in (
        sa.Column(
            "sex",
            sa.String(1),
            nullable=True,
            comment="National statistics only: F, M or X, as intake last published it.",
        ),
        sa.Column(
            "nationality_group",
            sa.String(16),
            nullable=True,
            comment="National statistics only: the group nationality_group() counts the "
            "nationality under (a named country or its region), never the nationality itself.",
        ),
        sa.Column(
            "care_arrangement",
            sa.String(24),
            nullable=True,
            comment="National statistics only: as intake last published it.",
        ),
    ):
        op.add_column("children", column, schema=SCHEMA)


def downgrade() -> None:
    for name in ("care_arrangement", "nationality_group", "sex"):
        op.drop_column("children", name, schema=SCHEMA)
