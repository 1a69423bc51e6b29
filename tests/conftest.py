"""Fixtures: real PostgreSQL and NATS JetStream servers, started once per test session.

The rule of the suite: a test makes what it needs with the factories in tests/factories.py
and never depends on another test's data or order. A test that needs a municipality of its
own asks `fresh_municipality(gql)` (a number no one has, and its staff with real tokens)
rather than choosing a number by hand; a module-scoped fixture is only read, never changed
(a test that changes what it was given gets a function-scoped one). A test that expects an
exact national count table asks for a country of its own (tests/country.py): such a table
weighs every child any test settles, in any year.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from nats.aio.client import Client
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cli.seed import DEMO_MUNICIPALITIES
from cli.stack import InProcessStack, bus_permissions
from havn.db import DatabaseUrls, create_engine, create_sessionmaker, migrate
from havn.embedded import EmbeddedNats, EmbeddedPostgres
from havn.events.credentials import ADMIN
from havn.events.stream import connect, ensure_stream
from tests.client import GraphQLClient

os.environ.setdefault("HAVN_ENV", "test")

# pytest-xdist's modes that hand out whole files or groups; by default they reorder them.
GROUPING_DISTRIBUTIONS = frozenset({"loadscope", "loadfile", "loadgroup"})


def pytest_configure(config: pytest.Config) -> None:
    # Browser tests run after every async test of their process (tests/web/conftest.py sorts
    # them last); a worker keeps that order only if its files are not reordered.
    option = config.option
    if getattr(option, "dist", "no") in GROUPING_DISTRIBUTIONS and option.loadscopereorder:
        raise pytest.UsageError(
            f"--dist {option.dist} needs --no-loadscope-reorder: "
            "the browser tests must come after the async tests (see the Makefile's test target)"
        )


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(tmp_path_factory.mktemp("postgres") / "data", ephemeral=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedNats]:
    server = EmbeddedNats(
        tmp_path_factory.mktemp("nats") / "jetstream",
        sync_always=False,
        permissions=bus_permissions(),
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def nats_client(nats_server: EmbeddedNats) -> AsyncIterator[Client]:
    """A client of the bus as its admin, with the events stream set up."""
    client, js = await connect(
        nats_server.url, user=ADMIN, credentials_dir=nats_server.credentials_dir
    )
    await ensure_stream(js)
    yield client
    await client.close()


@pytest.fixture(scope="session")
async def database(postgres_server: EmbeddedPostgres) -> DatabaseUrls:
    """The havn database, provisioned and migrated to head."""
    urls = await postgres_server.provision()
    await migrate(urls.owner)
    return urls


@pytest.fixture(scope="session")
async def app_engine(database: DatabaseUrls) -> AsyncIterator[AsyncEngine]:
    """An engine connected as the application role, as the services connect."""
    engine = create_engine(database.app, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def app_sessionmaker(app_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(app_engine)


@pytest.fixture(scope="session")
async def system_sessionmaker(
    database: DatabaseUrls,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """As the system role, as the relay, consumers and schedulers connect."""
    engine = create_engine(database.system, pool_size=5)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
async def statistics_sessionmaker(
    database: DatabaseUrls,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """As the statistics role, as the statistics route connects."""
    engine = create_engine(database.statistics, pool_size=2)
    yield create_sessionmaker(engine)
    await engine.dispose()


# --- the whole stack, in this event loop ------------------------------------------------------


@pytest.fixture(scope="session")
async def stack(
    database: DatabaseUrls, nats_server: EmbeddedNats, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[InProcessStack]:
    """IdP, four services and the gateway on real ports, sharing the test servers."""
    running = InProcessStack(
        database=database,
        nats_url=nats_server.url,
        nats_credentials_dir=nats_server.credentials_dir,
        data_dir=tmp_path_factory.mktemp("havn"),
    )
    await running.start()
    client = GraphQLClient(running)
    for number, name in DEMO_MUNICIPALITIES.items():
        await client.service(
            "platform-admin",
            "intake",
            "PUT",
            f"/v1/municipalities/{number}",
            json={"number": number, "name": name},
        )
    # Bergen's contact person has used Havn, as a real one has before a caseworker can
    # assign them to a child.
    await client.service("bergen-contact", "care", "GET", "/v1/caseload")
    yield running
    await running.stop()


@pytest.fixture(scope="session")
def gql(stack: InProcessStack) -> GraphQLClient:
    return GraphQLClient(stack)
