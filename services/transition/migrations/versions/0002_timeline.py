"""transition: timeline milestones, plan goals, aftercare decisions, housing

Revision ID: 0002_timeline
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from havn.db import enable_tenant_rls
from havn.events.tables import SYSTEM_CONDITION

revision: str = "0002_timeline"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "transition"
NEW_TENANT_TABLES = ("milestones", "plan_goals", "aftercare_decisions")
# Frozen copies of the rules as they stood when this migration was written.
AGE_MILESTONES = {"AGE_17": 17, "AGE_18": 18, "AGE_20": 20, "AGE_25": 25}
OUTCOME_MILESTONES = {
    "OUTCOME_1_YEAR": 1,
    "OUTCOME_2_YEARS": 2,
    "OUTCOME_4_YEARS": 4,
    "OUTCOME_5_YEARS": 5,
}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def upgrade() -> None:
    for column in (
        sa.Column("aftercare_decided_on", sa.Date(), nullable=True),
        sa.Column("aftercare_next_offer_on", sa.Date(), nullable=True),
        sa.Column("aftercare_due_on", sa.Date(), nullable=True),
        sa.Column("youths_own_words", sa.Text(), nullable=True),
        sa.Column("plan_updated_on", sa.Date(), nullable=True),
        sa.Column("housing_type", sa.String(16), nullable=True),
        sa.Column("start_loan", sa.Boolean(), nullable=True),
        sa.Column("housing_allowance", sa.Boolean(), nullable=True),
        sa.Column("housing_updated_on", sa.Date(), nullable=True),
    ):
        op.add_column("transitions", column, schema=SCHEMA)
    op.create_table(
        "milestones",
        sa.Column(
            "child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.transitions.child_id"), nullable=False
        ),
        sa.Column("milestone", sa.String(32), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=True),
        sa.Column("outcome_years", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("child_id", "milestone", "occurrence"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_milestones_pending",
        "milestones",
        ["due_on"],
        schema=SCHEMA,
        postgresql_where=sa.text("reached_on IS NULL"),
    )
    op.create_table(
        "plan_goals",
        sa.Column(
            "child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.transitions.child_id"), nullable=False
        ),
        sa.Column("domain", sa.String(16), nullable=False),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("child_id", "domain"),
        schema=SCHEMA,
    )
    op.create_table(
        "aftercare_decisions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "child_id", sa.Uuid(), sa.ForeignKey(f"{SCHEMA}.transitions.child_id"), nullable=False
        ),
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("next_offer_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_aftercare_decisions_child_id",
        "aftercare_decisions",
        ["child_id"],
        schema=SCHEMA,
    )
    _schedule_existing_children()
    for table in NEW_TENANT_TABLES:
        enable_tenant_rls(f"{SCHEMA}.{table}")
    # The scheduler finds which tenants have milestones due without being any one tenant:
    # the system flag lets it read (never write) this table's keys and dates, which hold no
    # name. It then acts per tenant under the ordinary policy.
    op.execute(
        f"create policy scheduler_reads_due on {SCHEMA}.milestones for select "
        f"using ({SYSTEM_CONDITION})"
    )


def _schedule_existing_children() -> None:
    """Gives children settled before this migration their timeline and aftercare due date.

    The owner is bound by forced RLS like everyone else, so the two tables it reads are
    released from it for the length of this (transactional) migration.
    """
    bind = op.get_bind()
    for table in ("children", "transitions"):
        op.execute(f"alter table {SCHEMA}.{table} no force row level security")
    children = bind.execute(
        sa.text(
            f"select c.id, c.tenant_id, c.date_of_birth, c.settled_on from {SCHEMA}.children c "
            f"join {SCHEMA}.transitions t on t.child_id = c.id"
        )
    ).all()
    rows: list[tuple[Any, str, str, date, int | None]] = []
    for child_id, tenant_id, born, settled_on in children:
        for milestone, age in AGE_MILESTONES.items():
            rows.append((child_id, milestone, tenant_id, _add_years(born, age), None))
        for milestone, years in OUTCOME_MILESTONES.items():
            rows.append((child_id, milestone, tenant_id, _add_years(settled_on, years), years))
        bind.execute(
            sa.text(f"update {SCHEMA}.transitions set aftercare_due_on = :due where child_id = :c"),
            {"due": _add_years(born, 18), "c": child_id},
        )
    if rows:
        bind.execute(
            sa.text(
                f"insert into {SCHEMA}.milestones "
                "(child_id, milestone, occurrence, tenant_id, due_on, outcome_years) "
                "values (:child_id, :milestone, 0, :tenant_id, :due_on, :outcome_years)"
            ),
            [
                {
                    "child_id": child_id,
                    "milestone": milestone,
                    "tenant_id": tenant_id,
                    "due_on": due_on,
                    "outcome_years": years,
                }
                for child_id, milestone, tenant_id, due_on, years in rows
            ],
        )
    for table in ("children", "transitions"):
        op.execute(f"alter table {SCHEMA}.{table} force row level security")


def downgrade() -> None:
    for table in reversed(NEW_TENANT_TABLES):
        op.drop_table(table, schema=SCHEMA)
    for column in (
        "housing_updated_on",
        "housing_allowance",
        "start_loan",
        "housing_type",
        "plan_updated_on",
        "youths_own_words",
        "aftercare_due_on",
        "aftercare_next_offer_on",
        "aftercare_decided_on",
    ):
        op.drop_column("transitions", column, schema=SCHEMA)
