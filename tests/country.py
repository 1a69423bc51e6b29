"""A database, and a whole platform on it, of a test's own.

Most tests share the session's platform and keep apart by fresh municipalities. A national
count table cannot: its secondary suppression weighs every cell of the country, in every year
(a year's table is a slice of the table by year), so a child any other test settles anywhere
can change which cells a table hides. A test that expects an exact table asks for a country
of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from cli.stack import InProcessStack, bus_permissions
from havn.db import DatabaseUrls, create_engine, create_sessionmaker, migrate
from havn.embedded import EmbeddedNats, EmbeddedPostgres
from tests.client import GraphQLClient


@asynccontextmanager
async def fresh_database(server: EmbeddedPostgres, prefix: str) -> AsyncIterator[DatabaseUrls]:
    """A migrated database of its own on the session's server, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    urls = await server.provision(name)
    await migrate(urls.owner)
    try:
        yield urls
    finally:
        superuser = create_async_engine(
            server.superuser_url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        async with superuser.connect() as conn:
            await conn.execute(text(f'drop database "{name}" with (force)'))
        await superuser.dispose()


@dataclass(frozen=True)
class Country:
    """A platform no other test writes to: its own database, bus, services and gateway."""

    database: DatabaseUrls
    gql: GraphQLClient

    @asynccontextmanager
    async def sessions(self, url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        """Sessions on this country's database as the role `url` names (`database.app`...)."""
        engine = create_engine(url, pool_size=1)
        try:
            yield create_sessionmaker(engine)
        finally:
            await engine.dispose()


@asynccontextmanager
async def own_country(server: EmbeddedPostgres, directory: Path) -> AsyncIterator[Country]:
    """A country of its own, with no municipality until the test registers one.

    Its bus is its own too: on the session's, its services would take the session's events.
    """
    async with fresh_database(server, "havn_country") as database:
        nats = EmbeddedNats(
            directory / "jetstream", sync_always=False, permissions=bus_permissions()
        )
        nats.start()
        stack = InProcessStack(
            database=database,
            nats_url=nats.url,
            nats_credentials_dir=nats.credentials_dir,
            data_dir=directory / "havn",
        )
        try:
            await stack.start()
            yield Country(database, GraphQLClient(stack))
        finally:
            await stack.stop()
            nats.stop()
