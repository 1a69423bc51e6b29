"""The web client's own tables: the server-side session store (schema `web`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(schema="web")

# One row per browser session. The cookie holds a random key; only its SHA-256 is stored,
# so a copy of this table opens no session. Tokens never leave this table for the browser.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("key_hash", sa.LargeBinary(32), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    # The token that every POST of this session must carry (CSRF).
    sa.Column("csrf_token", sa.Text(), nullable=False),
    # Sign-in state (Authlib's state, nonce and PKCE verifier), the chosen tenant, ...
    sa.Column("data", postgresql.JSONB(), nullable=False),
    # The signed-in user as the gateway's `me` answered: username, roles, tenants, org.
    sa.Column("viewer", postgresql.JSONB(), nullable=True),
    sa.Column("access_token", sa.Text(), nullable=True),
    sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("refresh_token", sa.Text(), nullable=True),
    sa.Column("id_token", sa.Text(), nullable=True),
)
