"""community: the copy of care's contact-person assignments

Revision ID: 0004_contact_assignments
Revises: 0003_child_revision
Create Date: 2026-12-05

A contact person reaches only the children assigned to them (havn.reach). The new consumers
start at the beginning of the stream, so assignments made before still arrive.
"""

from collections.abc import Sequence

from havn.migration_steps import create_contact_assignments, drop_contact_assignments

revision: str = "0004_contact_assignments"
down_revision: str | None = "0003_child_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_contact_assignments("community")


def downgrade() -> None:
    drop_contact_assignments("community")
