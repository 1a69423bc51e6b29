"""The application role is bound by row-level security: it owns nothing and bypasses nothing."""

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from havn.audit import access_log
from havn.db import scoped_transaction


async def test_app_role_is_not_superuser_and_cannot_bypass_rls(app_engine):
    async with app_engine.connect() as conn:
        row = (
            await conn.execute(
                text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            )
        ).one()
    assert row == (False, False)


async def test_app_role_owns_no_table(app_engine):
    async with app_engine.connect() as conn:
        owned = await conn.scalar(
            text("select count(*) from pg_tables where tableowner = current_user")
        )
    assert owned == 0


async def test_access_log_is_tenant_isolated(app_sessionmaker):
    child = uuid.uuid4()
    for tenant in ("4601", "3203"):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await session.execute(
                access_log.insert().values(
                    tenant_id=tenant,
                    child_id=child,
                    actor="t",
                    role="caseworker",
                    service="test",
                    action="read",
                    data_class="basic",
                    operation="test",
                )
            )
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        tenants = (
            await session.scalars(
                select(access_log.c.tenant_id).where(access_log.c.child_id == child)
            )
        ).all()
    assert tenants == ["4601"]
    async with scoped_transaction(app_sessionmaker, tenant=None) as session:
        unscoped = (
            await session.scalars(select(access_log.c.id).where(access_log.c.child_id == child))
        ).all()
    assert unscoped == []


async def test_access_log_is_append_only(app_sessionmaker):
    with pytest.raises(ProgrammingError, match="permission denied"):
        async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
            await session.execute(text("delete from audit.access_log"))


async def test_a_row_for_another_tenant_cannot_be_written(app_sessionmaker):
    with pytest.raises(ProgrammingError, match="row-level security"):
        async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
            await session.execute(
                access_log.insert().values(
                    tenant_id="3203",
                    child_id=uuid.uuid4(),
                    actor="t",
                    role="caseworker",
                    service="test",
                    action="read",
                    data_class="basic",
                    operation="test",
                )
            )
