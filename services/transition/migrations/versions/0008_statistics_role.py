"""transition: only the statistics role may call national_statistics

Revision ID: 0008_statistics_role
Revises: 0007_system_role

`national_statistics` counts every municipality's outcomes, small cells included; the service
suppresses them before answering. The application role could call it directly and read the
unsuppressed counts: now only `havn_statistics`, the role of the statistics route, may.
"""

from collections.abc import Sequence

from alembic import op

from havn.db import APP_ROLE, STATISTICS_ROLE

revision: str = "0008_statistics_role"
down_revision: str | None = "0007_system_role"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "transition"
SIGNATURE = "transition.national_statistics(text, text[], text, int[])"


def upgrade() -> None:
    op.execute(f"revoke all on function {SIGNATURE} from public, {APP_ROLE}")
    op.execute(f"grant usage on schema {SCHEMA} to {STATISTICS_ROLE}")
    op.execute(f"grant execute on function {SIGNATURE} to {STATISTICS_ROLE}")


def downgrade() -> None:
    op.execute(f"revoke all on function {SIGNATURE} from {STATISTICS_ROLE}")
    op.execute(f"revoke usage on schema {SCHEMA} from {STATISTICS_ROLE}")
    op.execute(f"grant execute on function {SIGNATURE} to {APP_ROLE}")
