"""intake: break-the-glass accesses, with the reason the municipality's admin reviews

Revision ID: 0006_break_glass
Revises: 0005_languages_place_reserved
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from havn.reach import create_break_glass_accesses

revision = "0006_break_glass"
down_revision = "0005_languages_place_reserved"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_break_glass_accesses(
        "intake",
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("break_glass_accesses", schema="intake")
