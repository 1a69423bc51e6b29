"""Asking for national tables, and settling children straight into a country's tables."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from cli.synthetic import MUNICIPALITIES, Batch, add_child, write_batch

TABLE = """
query($measure: StatisticMeasure!, $by: [StatisticDimension!]!, $year: Int) {
  nationalStatistics(measure: $measure, by: $by, year: $year) {
    measure dimensions minimumCellSize rows { keys value suppressed }
  }
}"""


async def settle_directly(
    owner_url: str, tenant: str, count: int, *, year: int, age: int = 15
) -> Batch:
    """Settles children, `age` years old, as the synthetic seeder does: straight into the
    services' tables. What is drawn for them follows from the tenant, year and age."""
    rng = random.Random(f"{tenant}-{year}-{age}")
    batch = Batch(tenant)
    for day in range(count):
        settled_on = date(year, 3, 1 + day % 28)
        add_child(
            batch,
            rng,
            settled_on=settled_on,
            date_of_birth=settled_on.replace(year=year - age),
            today=date(year + 1, 12, 31),
        )
    engine = create_async_engine(owner_url, poolclass=NullPool)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            # Into any municipality, demo ones too (not synthetic data's own numbers only).
            await session.execute(
                pg_insert(MUNICIPALITIES)
                .values(number=tenant, name=f"Test {tenant}")
                .on_conflict_do_nothing()
            )
            await write_batch(session, batch)
    finally:
        await engine.dispose()
    return batch
