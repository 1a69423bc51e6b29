"""community: the copy of intake's break-glass accesses (havn.reach)

A user who broke the glass reaches the child here too, until the access expires.

Revision ID: 0006_break_glass
Revises: 0005_languages
"""

from __future__ import annotations

from havn.reach import create_break_glass_accesses

revision = "0006_break_glass"
down_revision = "0005_languages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_break_glass_accesses("community")


def downgrade() -> None:
    from alembic import op

    op.drop_table("break_glass_accesses", schema="community")
