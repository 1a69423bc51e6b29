"""The database trusts no one by default: every role needs its password, the application
role cannot cross tenants by setting a flag, nor read the unsuppressed statistics, nor the
web client's sessions; the web client's role reads nothing of the services'."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import ROLES, DatabaseUrls, create_engine, scoped_transaction
from havn.embedded import EmbeddedPostgres
from havn.events.tables import system_transaction
from services.intake.models import events as intake_events
from services.intake.models import idempotency_keys

BERGEN, ASKER = "4601", "3203"


def _connect_args(url: str) -> dict[str, object]:
    parsed = make_url(url)
    return {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "database": parsed.database,
    }


@pytest.mark.parametrize("role", [*ROLES, "postgres"])
async def test_a_connection_without_a_password_is_refused(
    database: DatabaseUrls, role: str
) -> None:
    args = {**_connect_args(database.app), "user": role}
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(**args, password="")


async def test_a_connection_with_a_wrong_password_is_refused(database: DatabaseUrls) -> None:
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(**_connect_args(database.app), password="not-the-password")


async def test_the_passwords_are_kept_where_only_their_owner_reads_them(
    postgres_server: EmbeddedPostgres,
) -> None:
    assert oct(postgres_server.passwords_file.stat().st_mode & 0o777) == "0o600"


async def test_the_application_role_setting_the_system_flag_sees_no_other_tenants_rows(
    app_sessionmaker: async_sessionmaker[AsyncSession],
    system_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = intake_events.inbox
    # given event rows of two municipalities (an inbox's: no relay publishes them)
    consumer = f"trust-probe-{uuid.uuid4().hex[:8]}"
    for tenant in (BERGEN, ASKER):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await session.execute(
                insert(inbox).values(consumer=consumer, event_id=uuid.uuid4(), tenant_id=tenant)
            )
    mine = select(inbox.c.tenant_id).where(inbox.c.consumer == consumer)
    # when the application role switches the system flag on for itself
    async with system_transaction(app_sessionmaker) as session:
        seen = set((await session.scalars(mine)).all())
    # then it sees none of them, while the system role's flag sees both
    async with system_transaction(system_sessionmaker) as session:
        seen_by_system = set((await session.scalars(mine)).all())
    assert (seen, seen_by_system) == (set(), {BERGEN, ASKER})


async def test_the_application_role_setting_the_system_flag_sees_no_other_callers_keys(
    app_sessionmaker: async_sessionmaker[AsyncSession],
    system_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # given a caller's stored Idempotency-Key (its response may hold a child's data)
    key = f"trust-probe-{uuid.uuid4()}"
    row = {
        "tenant_id": BERGEN,
        "subject": "someone",
        "key": key,
        "fingerprint": "f",
        "status_code": 200,
        "response_body": b"{}",
        "created_at": datetime.now(UTC),
    }
    async with system_transaction(system_sessionmaker) as session:
        await session.execute(insert(idempotency_keys).values(row))
    mine = select(idempotency_keys.c.key).where(idempotency_keys.c.key == key)
    # when the application role switches the system flag on (as the purge does)
    async with system_transaction(app_sessionmaker) as session:
        seen = list((await session.scalars(mine)).all())
    # then it sees nothing, while the system role's purge sees the key
    async with system_transaction(system_sessionmaker) as session:
        seen_by_system = list((await session.scalars(mine)).all())
    assert (seen, seen_by_system) == ([], [key])


async def test_a_data_dir_that_trusted_everyone_asks_for_passwords_once_launched_again(
    tmp_path: Path,
) -> None:
    # given a data dir from before: every local user trusted, no passwords kept
    server = EmbeddedPostgres(tmp_path / "data", ephemeral=True).start()
    server.stop()
    (server.pgdata / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
    server.passwords_file.unlink()
    # when it is launched again
    server.start()
    try:
        args = _connect_args(server.superuser_url)
        # then the superuser needs its (new) password
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(**args, password="")
        connection = await asyncpg.connect(**args, password=server.password("postgres"))
        await connection.close()
    finally:
        server.stop()


async def test_the_application_role_cannot_become_the_system_role(
    app_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with app_sessionmaker() as session:
        with pytest.raises(ProgrammingError, match="permission denied"):
            await session.execute(text("set role havn_system"))


async def test_the_application_role_cannot_call_the_statistics_functions(
    app_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    calls = [
        "select * from intake.national_statistics("
        "'SETTLED_CHILDREN', array['MUNICIPALITY'], null, array[13], '{}', '{}')",
        "select * from transition.national_statistics("
        "'OUTCOME_EDUCATION_OR_WORK_RATE', array['OUTCOME_MILESTONE'], null, array[13])",
    ]
    for call in calls:
        with pytest.raises(ProgrammingError, match="permission denied for function"):
            async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
                await session.execute(text(call))


async def test_the_application_role_cannot_read_the_web_clients_sessions(
    app_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # The sessions hold every signed-in user's tokens: the services' role has no business there.
    async with app_sessionmaker() as session:
        with pytest.raises(ProgrammingError, match="permission denied for schema web"):
            await session.execute(text("select count(*) from web.sessions"))


async def test_the_web_role_reads_its_sessions_and_no_service_schema(
    database: DatabaseUrls,
) -> None:
    engine = create_engine(database.web, pool_size=1)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("select count(*) from web.sessions"))
        async with engine.connect() as conn:
            with pytest.raises(ProgrammingError, match="permission denied for schema intake"):
                await conn.execute(text("select count(*) from intake.children"))
    finally:
        await engine.dispose()
