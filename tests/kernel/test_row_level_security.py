"""Every tenant table is under forced row-level security, and it binds the application role."""

import pytest
from sqlalchemy import text

from havn.db import SCHEMAS, scoped_transaction
from tests.factories import settle_child
from tests.waiting import eventually

TENANT_TABLES = text("""
    select n.nspname || '.' || c.relname as name, c.relrowsecurity, c.relforcerowsecurity
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind = 'r' and n.nspname = any(:schemas)
    order by 1
""")


async def test_every_table_with_a_tenant_id_has_forced_row_level_security(app_engine):
    async with app_engine.connect() as conn:
        tables = (await conn.execute(TENANT_TABLES, {"schemas": list(SCHEMAS)})).all()
    assert len(tables) >= 15, "expected the tenant tables of every service"
    unprotected = [name for name, enabled, forced in tables if not (enabled and forced)]
    assert unprotected == []


@pytest.mark.parametrize(
    "table",
    [
        "intake.referrals",
        "intake.children",
        "care.care_plans",
        "transition.transitions",
        "audit.access_log",
    ],
)
async def test_without_a_tenant_the_application_role_sees_no_row(
    app_sessionmaker, stack, gql, table
):
    child = await settle_child(gql, stack.clock.today())
    await eventually(
        lambda: gql(
            "bergen-caseworker",
            "query($id: ID!) { child(id: $id) { carePlan { status } transition { planOpensOn } } }",
            {"id": child["id"]},
        ),
        until=lambda d: d["child"]["carePlan"] and d["child"]["transition"],
    )
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        visible_in_bergen = await session.scalar(text(f"select count(*) from {table}"))
        foreign = await session.scalar(
            text(f"select count(*) from {table} where tenant_id <> '4601'")
        )
    async with scoped_transaction(app_sessionmaker, tenant=None) as session:
        unscoped = await session.scalar(text(f"select count(*) from {table}"))
    assert visible_in_bergen and visible_in_bergen > 0
    assert foreign == 0
    assert unscoped == 0
