"""intake: only the system role crosses tenants in the event tables

Revision ID: 0006_system_role
Revises: 0005_languages_place_reserved

The `havn.system` flag opened every tenant's outbox, inbox and dead letters to whoever set
it, the application role included. Now the flag counts only for a member of `havn_system`,
the role the relay, consumers and schedulers connect as (havn/db.py).
"""

from __future__ import annotations

from havn.events.migration import SYSTEM_FLAG_V1, event_tables_system_flag, system_role_only_v3

revision = "0006_system_role"
down_revision = "0005_languages_place_reserved"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    system_role_only_v3(SCHEMA)


def downgrade() -> None:
    event_tables_system_flag(SCHEMA, SYSTEM_FLAG_V1)
