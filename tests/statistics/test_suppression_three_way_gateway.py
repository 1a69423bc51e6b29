"""Three-way national tables through the gateway: published, suppressed, and alike by county."""

from __future__ import annotations

import pytest

from tests.factories import register_municipality
from tests.statistics.test_national_statistics import TABLE, settle_directly

# National tables count the whole country: this module settles in a year no other test does.
YEAR = 2012


@pytest.fixture(scope="module")
async def troms(database, gql):
    """3 and 30 children settled in 2012 in two fresh Troms (55) municipalities."""
    return {
        tenant: await settle_directly(database.owner, tenant, count, year=YEAR)
        for tenant, count in [
            (await register_municipality(gql, "Troms", county="55"), 3),
            (await register_municipality(gql, "Troms", county="55"), 30),
        ]
    }


async def test_an_analyst_gets_a_table_of_three_dimensions_with_small_cells_suppressed(gql, troms):
    # given among others 3 and 30 children settled in two municipalities of Troms in 2012
    # when an analyst asks by county, sex and age band over every year
    variables = {"measure": "SETTLED_CHILDREN", "by": ["COUNTY", "SEX", "AGE_BAND"], "year": None}
    table = (await gql("imdi-analyst", TABLE, variables))["nationalStatistics"]
    # then it is published with its small cells hidden: no published cell is between 1 and 4
    assert table["dimensions"] == ["COUNTY", "SEX", "AGE_BAND"]
    assert any(r["suppressed"] for r in table["rows"])
    assert not [r for r in table["rows"] if r["value"] is not None and 0 < r["value"] < 5]
    # and Troms' own cells are there, as counts or hidden
    assert any(r["keys"][0] == "55" for r in table["rows"])


async def test_a_three_way_table_hides_the_same_cells_whatever_order_it_is_asked_in(gql, troms):
    # when the analyst asks by county, sex and age band, then by age band, county and sex
    forward = await gql(
        "imdi-analyst",
        TABLE,
        {"measure": "SETTLED_CHILDREN", "by": ["COUNTY", "SEX", "AGE_BAND"], "year": None},
    )
    backward = await gql(
        "imdi-analyst",
        TABLE,
        {"measure": "SETTLED_CHILDREN", "by": ["AGE_BAND", "COUNTY", "SEX"], "year": None},
    )

    def hidden(data, order):
        return {
            tuple(r["keys"][i] for i in order)
            for r in data["nationalStatistics"]["rows"]
            if r["suppressed"]
        }

    # then the same cells are hidden, keyed as asked
    assert hidden(forward, [0, 1, 2]) == hidden(backward, [1, 2, 0])
