"""Database access: engines, tenant-scoped transactions (RLS), roles and migrations.

Four roles, each signing in with a password of its own: `havn_owner` owns every schema
and runs migrations; `havn_app` is what the services connect as for requests. It owns
nothing, is no superuser and has no BYPASSRLS, so the row-level security policies below
bind it. `havn_system` is `havn_app` plus the one thing a request must never do: see
every tenant's event rows (the outbox relay, the consumers, the schedulers, the operator's
dead letters), and only in a transaction that asks for it (`havn.events.tables`).
`havn_statistics` may only call the statistics functions, which count every municipality
before the service suppresses small cells; `havn_app` may not. `havn_web` is the staff web
client's: it alone reads and writes the `web` schema (sessions, which hold users' tokens),
and no service schema.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from havn.config import PROJECT_ROOT, SERVICES

DATABASE = "havn"
OWNER_ROLE = "havn_owner"
APP_ROLE = "havn_app"
SYSTEM_ROLE = "havn_system"
STATISTICS_ROLE = "havn_statistics"
WEB_ROLE = "havn_web"
ROLES = (OWNER_ROLE, APP_ROLE, SYSTEM_ROLE, STATISTICS_ROLE, WEB_ROLE)
# No role may create roles or databases, none bypasses RLS.
_ROLE_OPTIONS = "login nosuperuser nobypassrls nocreatedb nocreaterole"
AUDIT_SCHEMA = "audit"
# The staff web client's session store: no child's data, no tenant rows.
WEB_SCHEMA = "web"
# The kernel's own schema first: services' migrations may rely on it.
SCHEMAS = (AUDIT_SCHEMA, *SERVICES, WEB_SCHEMA)

_SET_SCOPE = text(
    "select set_config('havn.tenant', :tenant, true),"
    " set_config('havn.allocator', :allocator, true)"
)


@dataclass(frozen=True)
class DatabaseUrls:
    """Where each role connects: requests, migrations, the system's own work, statistics,
    the web client's sessions."""

    app: str
    owner: str
    system: str
    statistics: str
    web: str


def create_engine(url: str, *, pool_size: int = 10, autocommit: bool = False) -> AsyncEngine:
    """Creates the async engine a service uses for its unit of work.

    With `autocommit`, each statement commits on its own and the pool's liveness ping is one
    round trip instead of three (BEGIN, ping, ROLLBACK): for single-statement work on the path
    of every request (the web client's sessions). A unit of work that needs a transaction
    then asks for one (`isolation_level="READ COMMITTED"` on its connection).
    """
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        isolation_level="AUTOCOMMIT" if autocommit else None,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def scoped_transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    tenant: str | None,
    allocator: str | None = None,
) -> AsyncIterator[AsyncSession]:
    """Opens one transaction bound to a tenant; it commits when the block ends without error.

    The tenant is set with `set_config(..., true)` (transaction-local) because `SET LOCAL`
    takes no bind parameters under asyncpg. An unset tenant matches no row. `allocator`
    is the directorate allocator's subject, which sees the referrals it created in any tenant.
    """
    async with sessionmaker() as session, session.begin():
        await session.execute(_SET_SCOPE, {"tenant": tenant or "", "allocator": allocator or ""})
        yield session


async def act_in_tenant(session: AsyncSession, tenant: str) -> None:
    """Binds the rest of a transaction to one tenant.

    Only for a caller whose act reaches into a municipality without belonging to it:
    the directorate allocating a minor writes the referral and its event in that tenant.
    """
    await session.execute(text("select set_config('havn.tenant', :t, true)"), {"t": tenant})


def tenant_policy_sql(table: str, extra_condition: str | None = None) -> list[str]:
    """The statements that put a table under forced row-level security by `tenant_id`."""
    condition = "tenant_id = (select current_setting('havn.tenant', true))"
    if extra_condition:
        condition = f"({condition}) or ({extra_condition})"
    return [
        f"alter table {table} enable row level security",
        f"alter table {table} force row level security",
        f"create policy tenant_isolation on {table} using ({condition}) with check ({condition})",
    ]


def enable_tenant_rls(table: str, extra_condition: str | None = None) -> None:
    """Used inside migrations: forced RLS on a tenant table (`schema.table`)."""
    from alembic import op

    for statement in tenant_policy_sql(table, extra_condition):
        op.execute(statement)


# --- provisioning ---------------------------------------------------------------------------


def database_urls(
    superuser_url: str, passwords: Mapping[str, str], database: str = DATABASE
) -> DatabaseUrls:
    """Derives each role's URL on an embedded server from the superuser's."""
    base = make_url(superuser_url).set(database=database)

    def url(role: str) -> str:
        return base.set(username=role, password=passwords[role]).render_as_string(
            hide_password=False
        )

    return DatabaseUrls(
        app=url(APP_ROLE),
        owner=url(OWNER_ROLE),
        system=url(SYSTEM_ROLE),
        statistics=url(STATISTICS_ROLE),
        web=url(WEB_ROLE),
    )


def _literal(value: str) -> str:
    """A SQL string literal (ALTER ROLE takes no bind parameters)."""
    return "'" + value.replace("'", "''") + "'"


async def provision(
    superuser_url: str, passwords: Mapping[str, str], database: str = DATABASE
) -> DatabaseUrls:
    """Creates the roles and the database if missing, and gives each role its password
    (embedded servers and tests only; deploy/postgres/init-roles.sql in production)."""
    engine = create_async_engine(superuser_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for role in ROLES:
                exists = await conn.scalar(
                    text("select 1 from pg_roles where rolname = :r"), {"r": role}
                )
                verb = "alter" if exists else "create"
                await conn.execute(
                    text(f"{verb} role {role} {_ROLE_OPTIONS} password {_literal(passwords[role])}")
                )
            # The system role does what the application role does, and sees more.
            await conn.execute(text(f"grant {APP_ROLE} to {SYSTEM_ROLE}"))
            exists = await conn.scalar(
                text("select 1 from pg_database where datname = :d"), {"d": database}
            )
            if not exists:
                await conn.execute(text(f'create database "{database}" owner {OWNER_ROLE}'))
            await conn.execute(text(f'revoke all on database "{database}" from public'))
            await conn.execute(
                text(
                    f'grant connect on database "{database}" '
                    f"to {APP_ROLE}, {SYSTEM_ROLE}, {STATISTICS_ROLE}, {WEB_ROLE}"
                )
            )
    finally:
        await engine.dispose()
    return database_urls(superuser_url, passwords, database)


async def prepare_schemas(conn: AsyncConnection) -> None:
    """As the owner: one schema per service, usable by the app role, audit append-only; the
    web schema usable by the web role alone."""
    for schema in SCHEMAS:
        user = WEB_ROLE if schema == WEB_SCHEMA else APP_ROLE
        await conn.execute(text(f"create schema if not exists {schema}"))
        await conn.execute(text(f"grant usage on schema {schema} to {user}"))
        privileges = (
            "select, insert" if schema == AUDIT_SCHEMA else "select, insert, update, delete"
        )
        await conn.execute(
            text(
                f"alter default privileges for role {OWNER_ROLE} in schema {schema} "
                f"grant {privileges} on tables to {user}"
            )
        )
        await conn.execute(
            text(
                f"alter default privileges for role {OWNER_ROLE} in schema {schema} "
                f"grant usage, select on sequences to {user}"
            )
        )


def migrations_dir(schema: str) -> Path:
    if schema == AUDIT_SCHEMA:
        return PROJECT_ROOT / "havn" / "migrations"
    if schema == WEB_SCHEMA:
        return PROJECT_ROOT / "web" / "migrations"
    return PROJECT_ROOT / "services" / schema / "migrations"


def alembic_config(schema: str, connection: Connection | None = None) -> Config:
    """An Alembic config for one schema: its own scripts and its own version table."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir(schema)))
    config.attributes["schema"] = schema
    config.attributes["connection"] = connection
    return config


async def migrate(owner_url: str) -> None:
    """Brings every schema to its newest version, as the owner role."""
    engine = create_async_engine(owner_url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await prepare_schemas(conn)
        for schema in SCHEMAS:
            async with engine.begin() as conn:
                await conn.run_sync(_upgrade_to_head, schema)
    finally:
        await engine.dispose()


def _upgrade_to_head(connection: Connection, schema: str) -> None:
    # "heads": independent branches of one schema's history (work landed in parallel)
    # all apply; Alembic still orders each branch by its own down-revisions.
    command.upgrade(alembic_config(schema, connection), "heads")


def run_migrations_online(target_metadata: MetaData) -> None:
    """The body of every `migrations/env.py`: run on the connection `migrate` hands over."""
    from alembic import context

    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations with `havn migrate`")
    schema = config.attributes["schema"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=schema,
        include_schemas=True,
        include_name=lambda name, type_, _parent: type_ != "schema" or name == schema,
    )
    with context.begin_transaction():
        context.run_migrations()


__all__ = [
    "APP_ROLE",
    "OWNER_ROLE",
    "PROJECT_ROOT",
    "ROLES",
    "STATISTICS_ROLE",
    "SYSTEM_ROLE",
    "WEB_ROLE",
    "DatabaseUrls",
    "create_engine",
    "create_sessionmaker",
    "enable_tenant_rls",
    "migrate",
    "provision",
    "scoped_transaction",
]
