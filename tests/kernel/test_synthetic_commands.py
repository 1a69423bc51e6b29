"""`havn seed --synthetic` writes into municipalities of its own, never over real ones, finds
the running stack's database, and `havn seed --remove-synthetic` takes all of it away."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cli.seed import DEMO_MUNICIPALITIES
from cli.synthetic import (
    CHILDREN,
    MUNICIPALITIES,
    MunicipalityTaken,
    remove_synthetic,
    seed_synthetic,
)
from havn.db import DatabaseUrls
from havn.embedded import EmbeddedPostgres
from tests.country import fresh_database

TODAY = date(2026, 11, 22)


@pytest.fixture
async def fresh(postgres_server: EmbeddedPostgres) -> AsyncIterator[DatabaseUrls]:
    """A database of this test's own with the demo municipalities registered, as `make run`
    has (the seeding tests write and remove whole municipalities: none sees another's)."""
    async with fresh_database(postgres_server, "havn_synthetic") as urls:
        engine = create_async_engine(urls.owner, poolclass=NullPool)
        async with engine.begin() as conn:
            await conn.execute(
                MUNICIPALITIES.insert(),
                [{"number": n, "name": name} for n, name in DEMO_MUNICIPALITIES.items()],
            )
        await engine.dispose()
        yield urls


async def children_by_tenant(owner_url: str) -> dict[str, int]:
    """Children per municipality, each counted in its own tenant (row-level security)."""
    engine = create_async_engine(owner_url, poolclass=NullPool)
    counts: dict[str, int] = {}
    try:
        # One connection, a transaction per tenant (a connection per tenant costs seconds).
        async with engine.connect() as conn:
            async with conn.begin():
                numbers = (await conn.scalars(select(MUNICIPALITIES.c.number))).all()
            for number in numbers:
                async with conn.begin():
                    await conn.execute(
                        text("select set_config('havn.tenant', :t, true)"), {"t": number}
                    )
                    counts[number] = (
                        await conn.scalar(select(func.count()).select_from(CHILDREN)) or 0
                    )
    finally:
        await engine.dispose()
    return counts


async def test_synthetic_data_lives_in_its_own_municipalities_and_is_removed_by_a_command(fresh):
    # when synthetic data is written beside the demo municipalities
    written = await seed_synthetic(fresh.owner, children=500, seed=5, today=TODAY)
    after_seed = await children_by_tenant(fresh.owner)

    # then every child is in a synthetic municipality and none in a demo one
    assert written == 500
    assert all(after_seed[n] == 0 for n in DEMO_MUNICIPALITIES)
    assert sum(after_seed.values()) == 500

    # when it is removed
    removed = await remove_synthetic(fresh.owner)

    # then its children and municipalities are gone, and the demo ones stay
    assert removed == 500
    assert set(await children_by_tenant(fresh.owner)) == set(DEMO_MUNICIPALITIES)


async def test_synthetic_data_refuses_a_municipality_number_registered_for_real_data(fresh):
    # given a real municipality registered under a number synthetic data would use
    engine = create_async_engine(fresh.owner, poolclass=NullPool)
    async with engine.begin() as conn:
        await conn.execute(MUNICIPALITIES.insert().values(number="4699", name="Real 4699"))
    await engine.dispose()

    # when synthetic data is written, then it refuses, naming the municipality, and writes none
    with pytest.raises(MunicipalityTaken, match="4699"):
        await seed_synthetic(fresh.owner, children=10, seed=5, today=TODAY)
    assert sum((await children_by_tenant(fresh.owner)).values()) == 0


def test_the_running_stacks_database_is_found_from_its_data_directory(postgres_server):
    # when the data directory of a running server is looked at, then its port is found
    running = EmbeddedPostgres.running(postgres_server.pgdata)
    assert running is not None and running.port == postgres_server.port
    # and a directory with no server running has none
    assert EmbeddedPostgres.running(postgres_server.pgdata.parent / "nothing-here") is None
