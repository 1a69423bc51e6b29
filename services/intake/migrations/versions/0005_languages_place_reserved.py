"""intake: language codes in one ISO 639 form; whether acceptance reserved a care place

Revision ID: 0005_languages_place_reserved
Revises: 0004_child_revision
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from havn.languages import migrate_stored_languages

revision = "0005_languages_place_reserved"
down_revision = "0004_child_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "referrals", sa.Column("care_place_reserved", sa.Boolean(), nullable=True), schema="intake"
    )
    migrate_stored_languages("intake.referrals", arrays=["languages"])
    migrate_stored_languages(
        "intake.children", arrays=["languages"], scalars=["interpreter_language"]
    )
    migrate_stored_languages("intake.relocations", arrays=["child_languages"])


def downgrade() -> None:
    op.drop_column("referrals", "care_place_reserved", schema="intake")
