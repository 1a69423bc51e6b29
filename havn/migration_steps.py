"""Migration steps that several services' schemas take alike, each called with its schema.

Frozen like the migrations that call them (they ran on existing databases): a later change
is a new function here, never an edit of one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from havn.db import enable_tenant_rls
from havn.events.migration import (
    SYSTEM_FLAG_V1,
    SYSTEM_FLAG_V3,
    event_tables_system_flag,
    keep_malformed_dead_letters_v2,
    require_envelope_dead_letters_v2,
    system_role_only_v3,
)
from havn.idempotency import idempotency_system_flag_v2


def add_child_revision(schema: str) -> None:
    """A child's revision (every existing child at 1: only changes announced from here on
    are numbered), and dead letters that are not envelopes."""
    op.add_column(
        "children",
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        schema=schema,
    )
    keep_malformed_dead_letters_v2(schema)


def drop_child_revision(schema: str) -> None:
    """Undoes `add_child_revision`."""
    require_envelope_dead_letters_v2(schema)
    op.drop_column("children", "revision", schema=schema)


def create_contact_assignments(schema: str) -> None:
    """The schema's copy of care's contact-person assignments, under RLS: a contact person
    reaches only the children assigned to them (havn.reach)."""
    op.create_table(
        "contact_assignments",
        sa.Column("child_id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        schema=schema,
    )
    op.create_index(
        "ix_contact_assignments_username", "contact_assignments", ["username"], schema=schema
    )
    enable_tenant_rls(f"{schema}.contact_assignments")


def drop_contact_assignments(schema: str) -> None:
    """Undoes `create_contact_assignments`."""
    op.drop_table("contact_assignments", schema=schema)


def system_role_only(schema: str) -> None:
    """The `havn.system` flag opens every tenant's outbox, inbox and dead letters, and every
    caller's idempotency keys, only to a member of `havn_system` (the role the relay,
    consumers, retention sweep, status and schedulers connect as), not to whoever sets it."""
    system_role_only_v3(schema)
    idempotency_system_flag_v2(schema, SYSTEM_FLAG_V3)


def any_role_system_flag(schema: str) -> None:
    """Undoes `system_role_only`: the flag opens those tables to whoever sets it."""
    event_tables_system_flag(schema, SYSTEM_FLAG_V1)
    idempotency_system_flag_v2(schema, SYSTEM_FLAG_V1)
