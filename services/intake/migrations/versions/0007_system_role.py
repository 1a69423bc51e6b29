"""intake: only the system role crosses tenants in the event tables and idempotency keys

Revision ID: 0007_system_role
Revises: 0006_break_glass, r001_inbox_by_age, i001_idempotency_keys, s001_statistics

The `havn.system` flag opened every tenant's outbox, inbox and dead letters, and every
caller's idempotency keys, to whoever set it, the application role included. Now the flag
counts only for a member of `havn_system`, the role the relay, consumers, retention sweep,
status and schedulers connect as (havn/db.py). It also joins the schema's branches into one
history again.
"""

from __future__ import annotations

from havn.events.migration import (
    SYSTEM_FLAG_V1,
    SYSTEM_FLAG_V3,
    event_tables_system_flag,
    system_role_only_v3,
)
from havn.idempotency import idempotency_system_flag_v2

revision = "0007_system_role"
down_revision = (
    "0006_break_glass",
    "r001_inbox_by_age",
    "i001_idempotency_keys",
    "s001_statistics",
)
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    system_role_only_v3(SCHEMA)
    idempotency_system_flag_v2(SCHEMA, SYSTEM_FLAG_V3)


def downgrade() -> None:
    event_tables_system_flag(SCHEMA, SYSTEM_FLAG_V1)
    idempotency_system_flag_v2(SCHEMA, SYSTEM_FLAG_V1)
