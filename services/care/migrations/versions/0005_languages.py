"""care: language codes in one ISO 639 form

Revision ID: 0005_languages
Revises: 0004_child_revision
"""

from __future__ import annotations

from havn.languages import migrate_stored_languages

revision = "0005_languages"
down_revision = "0004_child_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    migrate_stored_languages("care.children", arrays=["languages"])
    migrate_stored_languages("care.meetings", scalars=["language"])


def downgrade() -> None:
    """The codes stay in the one form: it is as valid to the old code as the other."""
