"""care: the idempotency_keys table (a mutation's Idempotency-Key and its first response)

Revision ID: i001_idempotency_keys
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from havn.idempotency import create_idempotency_table_v1

revision: str = "i001_idempotency_keys"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_idempotency_table_v1("care")


def downgrade() -> None:
    op.drop_table("idempotency_keys", schema="care")
