"""Transition's national statistics: the share in education or work at each outcome milestone.

The groups come from `repository.national_groups`; of a child, transition keeps for this only
the categories outcomes are counted under (`domain.transitions.keep_statistical_categories`).
"""

from __future__ import annotations

from havn.statistics.dimensions import Measure
from havn.statistics.service import statistics_router
from services.transition import repository

MEASURES = (Measure.OUTCOME_EDUCATION_OR_WORK_RATE,)

router = statistics_router(MEASURES, repository.national_groups)
