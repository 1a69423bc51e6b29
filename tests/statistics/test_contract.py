"""The statistics part of the public schema is what API.md promises."""

from __future__ import annotations

import pytest

from gateway.schema import build_schema

SDL = str(build_schema(introspection=True))


@pytest.mark.parametrize(
    "line",
    [
        "nationalStatistics(measure: StatisticMeasure!, by: [StatisticDimension!]!, "
        "year: Int = null): StatisticsTable!",
        "enum StatisticMeasure {\n  SETTLED_CHILDREN\n  REFERRALS\n  DAYS_REFERRAL_TO_ARRIVAL\n"
        "  OUTCOME_EDUCATION_OR_WORK_RATE\n}",
        "enum StatisticDimension {\n  MUNICIPALITY\n  COUNTY\n  YEAR\n  AGE_BAND\n  SEX\n"
        "  NATIONALITY\n  CARE_ARRANGEMENT\n  OUTCOME_MILESTONE\n}",
        'type StatisticsRow {\n  keys: [String!]!\n\n  """null when suppressed"""\n'
        "  value: Float\n  suppressed: Boolean!\n}",
        "type StatisticsTable {\n  measure: StatisticMeasure!\n"
        "  dimensions: [StatisticDimension!]!\n  rows: [StatisticsRow!]!\n"
        "  minimumCellSize: Int!\n",
    ],
)
def test_the_schema_has_what_api_md_promises_for_statistics(line):
    assert line in SDL
