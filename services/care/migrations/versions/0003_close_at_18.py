"""care: a care plan closes at 18 without aftercare, reopens on accepted aftercare, ends at 25

Revision ID: 0003_close_at_18
Revises: 0002_care_follow_up
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_close_at_18"
down_revision: str | None = "0002_care_follow_up"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "care"
COLUMNS = (
    ("closed_on", sa.Date()),
    ("closed_reason", sa.Text()),
    ("status_before_close", sa.String(16)),
    ("aftercare_status", sa.String(16)),
    ("aftercare_decided_on", sa.Date()),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("care_plans", sa.Column(name, type_, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("care_plans", name, schema=SCHEMA)
