"""web: the staff web client's server-side sessions

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "web"


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("key_hash", sa.LargeBinary(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("data", postgresql.JSONB(), nullable=False),
        sa.Column("viewer", postgresql.JSONB(), nullable=True),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("id_token", sa.Text(), nullable=True),
        schema=SCHEMA,
    )
    # Expired sessions are swept by last activity.
    op.create_index("ix_sessions_last_seen_at", "sessions", ["last_seen_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("sessions", schema=SCHEMA)
