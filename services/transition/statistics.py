"""Transition's national statistics: the share in education or work at each outcome milestone.

Grouped in SQL by `transition.national_statistics` (migrations s001_statistics and
s002_outcomes_by_person), which the application role may call but whose rows it cannot read.
Of a child, transition keeps for this only the categories outcomes are counted under.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ARRAY, Integer, Text, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from havn.statistics.dimensions import AGE_BAND_BOUNDS, Dimension, Measure, nationality_group
from havn.statistics.service import statistics_router
from havn.statistics.tables import Group
from services.transition.models import Child

MEASURES = (Measure.OUTCOME_EDUCATION_OR_WORK_RATE,)


def keep_statistical_categories(
    child: Child, *, sex: str, nationality: str, care_arrangement: str
) -> None:
    """Keeps the categories the child's outcomes are counted under, and nothing finer.

    Of the nationality only its group is kept (a named country, or the region of a rare
    one), so that transition never holds what the statistics would not show.
    """
    child.sex = sex
    child.nationality_group = nationality_group(nationality)
    child.care_arrangement = care_arrangement


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
