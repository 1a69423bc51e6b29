"""Transition's national statistics: the share in education or work at each outcome milestone.

Grouped in SQL by `transition.national_statistics` (migration s001_statistics), which the
application role may call but whose rows it cannot read.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ARRAY, Integer, Text, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from havn.statistics.dimensions import AGE_BAND_BOUNDS, Dimension, Measure
from havn.statistics.service import statistics_router
from havn.statistics.tables import Group

MEASURES = (Measure.OUTCOME_EDUCATION_OR_WORK_RATE,)

NATIONAL_GROUPS = text(
    "select keys, size, own, value from transition.national_statistics("
    ":measure, :dimensions, :own, :age_bounds)"
).bindparams(
    bindparam("dimensions", type_=ARRAY(Text)),
    bindparam("age_bounds", type_=ARRAY(Integer)),
)


async def national_groups(
    session: AsyncSession, measure: Measure, dimensions: Sequence[Dimension], own: str | None
) -> list[Group]:
    """Every municipality's outcomes, grouped; `own` counts the caller's part of each group."""
    rows = await session.execute(
        NATIONAL_GROUPS,
        {
            "measure": measure.value,
            "dimensions": [d.value for d in dimensions],
            "own": own,
            "age_bounds": list(AGE_BAND_BOUNDS),
        },
    )
    return [Group(tuple(r.keys), r.size, r.own, r.value) for r in rows]


router = statistics_router(MEASURES, national_groups)
