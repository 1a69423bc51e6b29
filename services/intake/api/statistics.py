"""Intake's national statistics (/v1/statistics/national): settled children, referrals, days
from referral to arrival, grouped by `repository.national_groups`."""

from __future__ import annotations

from havn.statistics.dimensions import Measure
from havn.statistics.service import statistics_router
from services.intake import repository

MEASURES = (Measure.SETTLED_CHILDREN, Measure.REFERRALS, Measure.DAYS_REFERRAL_TO_ARRIVAL)

router = statistics_router(MEASURES, repository.national_groups)
