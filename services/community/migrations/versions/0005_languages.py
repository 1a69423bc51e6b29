"""community: language codes in one ISO 639 form

Revision ID: 0005_languages
Revises: 0004_contact_assignments
"""

from __future__ import annotations

from havn.languages import migrate_stored_languages

revision = "0005_languages"
down_revision = "0004_contact_assignments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("children", "offers", "volunteers"):
        migrate_stored_languages(f"community.{table}", arrays=["languages"])


def downgrade() -> None:
    """The codes stay in the one form: it is as valid to the old code as the other."""
