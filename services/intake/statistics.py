"""Intake's national statistics: settled children, referrals, days from referral to arrival.

Grouped in SQL by `intake.national_statistics` (migration s001_statistics), which the
application role may call but whose rows it cannot read.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ARRAY, Integer, Text, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from havn.statistics.dimensions import AGE_BAND_BOUNDS, Dimension, Measure, nationality_groups
from havn.statistics.service import statistics_router
from havn.statistics.tables import Group

MEASURES = (Measure.SETTLED_CHILDREN, Measure.REFERRALS, Measure.DAYS_REFERRAL_TO_ARRIVAL)

NATIONAL_GROUPS = text(
    "select keys, size, own, value from intake.national_statistics("
    ":measure, :dimensions, :own, :age_bounds, :codes, :groups)"
).bindparams(
    bindparam("dimensions", type_=ARRAY(Text)),
    bindparam("age_bounds", type_=ARRAY(Integer)),
    bindparam("codes", type_=ARRAY(Text)),
    bindparam("groups", type_=ARRAY(Text)),
)


async def national_groups(
    session: AsyncSession, measure: Measure, dimensions: Sequence[Dimension], own: str | None
) -> list[Group]:
    """Every municipality's children, grouped; `own` counts the caller's part of each group."""
    codes, groups = nationality_groups()
    rows = await session.execute(
        NATIONAL_GROUPS,
        {
            "measure": measure.value,
            "dimensions": [d.value for d in dimensions],
            "own": own,
            "age_bounds": list(AGE_BAND_BOUNDS),
            "codes": codes,
            "groups": groups,
        },
    )
    return [Group(tuple(r.keys), r.size, r.own, r.value) for r in rows]


router = statistics_router(MEASURES, national_groups)
