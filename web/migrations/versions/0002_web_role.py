"""web: only the web client's own role reads and writes its sessions

Revision ID: 0002_web_role
Revises: 0001
Create Date: 2026-12-05

The sessions hold every signed-in user's access and refresh tokens. The services' role had
them too (the schema was granted as every other): a service's SQL could have taken a
token. Now `havn_web`, the role the web client connects as, alone may use the schema
(havn/db.py `prepare_schemas` grants it; this takes back what the application role had).
"""

from collections.abc import Sequence

from alembic import op

from havn.db import APP_ROLE, OWNER_ROLE, WEB_ROLE

revision: str = "0002_web_role"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "web"
TABLES = "select, insert, update, delete"


def _move(*, revoke_from: str, grant_to: str) -> None:
    defaults = f"alter default privileges for role {OWNER_ROLE} in schema {SCHEMA}"
    op.execute(f"{defaults} revoke {TABLES} on tables from {revoke_from}")
    op.execute(f"{defaults} revoke usage, select on sequences from {revoke_from}")
    op.execute(f"revoke all on all tables in schema {SCHEMA} from {revoke_from}")
    op.execute(f"revoke usage on schema {SCHEMA} from {revoke_from}")
    op.execute(f"grant usage on schema {SCHEMA} to {grant_to}")
    op.execute(f"grant {TABLES} on all tables in schema {SCHEMA} to {grant_to}")
    op.execute(f"{defaults} grant {TABLES} on tables to {grant_to}")
    op.execute(f"{defaults} grant usage, select on sequences to {grant_to}")


def upgrade() -> None:
    _move(revoke_from=APP_ROLE, grant_to=WEB_ROLE)


def downgrade() -> None:
    _move(revoke_from=WEB_ROLE, grant_to=APP_ROLE)
