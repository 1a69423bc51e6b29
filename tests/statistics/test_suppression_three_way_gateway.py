"""Three-way national tables through the gateway: published, suppressed, and alike by county."""

from __future__ import annotations

import pytest

from tests.client import GraphQLClient
from tests.country import Country
from tests.statistics.national import TABLE, settle_directly

TROMS, NORDLAND = "55", "18"
THREE_WAY = {"measure": "SETTLED_CHILDREN", "by": ["COUNTY", "SEX", "AGE_BAND"], "year": None}


@pytest.fixture(scope="module")
def gql(country: Country) -> GraphQLClient:
    """Every question of this module goes to its own country, where it knows every child."""
    return country.gql


@pytest.fixture(scope="module")
async def settled(country: Country) -> None:
    """3 children of 15 settled in 2012 in a Troms (55) municipality, and 30 of 15 and 30 of
    17 in a Nordland (18) one: by sex and age band, Troms' three are cells below five. The
    numbers are fixed (in a country of the module's own), so what is drawn for each child
    (its sex) is the same in every run."""
    for number, count, age in (
        (f"{TROMS}10", 3, 15),
        (f"{NORDLAND}10", 30, 15),
        (f"{NORDLAND}10", 30, 17),
    ):
        await settle_directly(country.database.owner, number, count, year=2012, age=age)


async def test_an_analyst_gets_a_table_of_three_dimensions_with_small_cells_suppressed(
    gql, settled
):
    # when an analyst asks by county, sex and age band over every year
    table = (await gql("imdi-analyst", TABLE, THREE_WAY))["nationalStatistics"]
    rows = table["rows"]
    # then it is published with its small cells hidden: Troms' are, and no published cell
    # is between 1 and 4
    assert table["dimensions"] == ["COUNTY", "SEX", "AGE_BAND"]
    troms = [r for r in rows if r["keys"][0] == TROMS and r["value"] != 0]
    assert troms and all(r["suppressed"] and r["value"] is None for r in troms)
    assert not [r for r in rows if r["value"] is not None and 0 < r["value"] < 5]
    # and every county and age band the children have is in it, hidden or not
    assert {(r["keys"][0], r["keys"][2]) for r in rows} == {
        (county, band) for county in (TROMS, NORDLAND) for band in ("13-15", "16-17")
    }


async def test_a_three_way_table_hides_the_same_cells_whatever_order_it_is_asked_in(gql, settled):
    # when the analyst asks by county, sex and age band, then by age band, county and sex
    forward = await gql("imdi-analyst", TABLE, THREE_WAY)
    backward = await gql("imdi-analyst", TABLE, THREE_WAY | {"by": ["AGE_BAND", "COUNTY", "SEX"]})

    def hidden(data, order):
        return {
            tuple(r["keys"][i] for i in order)
            for r in data["nationalStatistics"]["rows"]
            if r["suppressed"]
        }

    # then the same cells are hidden, keyed as asked
    assert hidden(forward, [0, 1, 2]) and hidden(forward, [0, 1, 2]) == hidden(backward, [1, 2, 0])
