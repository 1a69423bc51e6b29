"""nationalStatistics through the gateway: suppressed, per role, and never a person."""

from __future__ import annotations

import base64
import io
import statistics
import zipfile
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from cli.synthetic import CHILDREN, OUTCOMES, REFERRALS, Batch
from havn.db import scoped_transaction
from tests.client import GraphQLClient
from tests.country import Country
from tests.factories import fresh_municipality, register_municipality
from tests.statistics.national import TABLE, settle_directly

# A national count table weighs every child in the country, in every year: this module asks
# its questions of a country of its own (tests/country.py), where it knows every child.
FINNMARK = "56"
YEAR = 2019


@dataclass(frozen=True)
class Finnmark:
    """Three fresh Finnmark municipalities with 3, 40 and 7 children settled in 2019."""

    small: str
    large: str
    middle: str
    batches: dict[str, Batch]


@pytest.fixture(scope="module")
def gql(country: Country) -> GraphQLClient:
    """Every question of this module goes to its own country."""
    return country.gql


@pytest.fixture(scope="module")
async def finnmark(country: Country, gql: GraphQLClient) -> Finnmark:
    # Numbered small < large < middle: the secondary suppression breaks ties by number.
    small, large, middle = sorted(
        [await register_municipality(gql, "Finnmark", county=FINNMARK) for _ in range(3)]
    )
    batches = {
        tenant: await settle_directly(country.database.owner, tenant, count, year=YEAR)
        for tenant, count in ((small, 3), (large, 40), (middle, 7))
    }
    return Finnmark(small, large, middle, batches)


def rows_by_key(data):
    return {tuple(r["keys"]): r for r in data["nationalStatistics"]["rows"]}


async def test_an_analyst_gets_the_country_with_small_cells_suppressed(gql, finnmark):
    # given 3, 40 and 7 children settled in three municipalities of one county in 2019
    # when an analyst asks for settled children by municipality in 2019
    data = await gql(
        "imdi-analyst",
        TABLE,
        {"measure": "SETTLED_CHILDREN", "by": ["MUNICIPALITY"], "year": YEAR},
    )
    table = data["nationalStatistics"]
    rows = rows_by_key(data)
    # then the 3 is suppressed, and so the 7 beside it in the county, but the 40 is shown
    assert table["minimumCellSize"] == 5
    assert rows[(finnmark.small,)] == {"keys": [finnmark.small], "value": None, "suppressed": True}
    assert rows[(finnmark.middle,)]["suppressed"]
    assert rows[(finnmark.large,)] == {"keys": [finnmark.large], "value": 40.0, "suppressed": False}
    # and no published cell anywhere in the table is between 1 and 4
    assert not [r for r in table["rows"] if r["value"] is not None and 0 < r["value"] < 5]


async def test_the_same_cells_are_suppressed_whatever_order_the_dimensions_come_in(gql, finnmark):
    # when the analyst asks by municipality and sex, then by sex and municipality
    variables = {"measure": "SETTLED_CHILDREN", "year": None}
    forward = await gql("imdi-analyst", TABLE, {**variables, "by": ["MUNICIPALITY", "SEX"]})
    backward = await gql("imdi-analyst", TABLE, {**variables, "by": ["SEX", "MUNICIPALITY"]})
    # then the keys follow the order asked, and the same cells are suppressed
    assert backward["nationalStatistics"]["dimensions"] == ["SEX", "MUNICIPALITY"]
    assert {k: (r["value"], r["suppressed"]) for k, r in rows_by_key(forward).items()} == {
        (m, s): (r["value"], r["suppressed"]) for (s, m), r in rows_by_key(backward).items()
    }


async def test_counties_come_from_the_municipality_number(gql, finnmark):
    data = await gql(
        "imdi-analyst", TABLE, {"measure": "SETTLED_CHILDREN", "by": ["COUNTY"], "year": YEAR}
    )
    assert rows_by_key(data)[(FINNMARK,)]["value"] == 50.0


async def test_a_municipality_admin_sees_its_own_small_cell_which_an_analyst_sees_hidden(
    gql, country
):
    # given a municipality settled 2 children in 1999, and another in its county 6
    own = await fresh_municipality(gql, county="46")
    neighbour = await register_municipality(gql, "Nabo", county="46")
    await settle_directly(country.database.owner, own.number, 2, year=1999)
    await settle_directly(country.database.owner, neighbour, 6, year=1999)
    variables = {"measure": "SETTLED_CHILDREN", "by": ["MUNICIPALITY"], "year": 1999}
    # when its admin asks, and when an analyst asks
    admin = rows_by_key(await gql(own.admin, TABLE, variables))
    analyst = rows_by_key(await gql("imdi-analyst", TABLE, variables))
    # then the admin sees its own 2 (it already has access to those children), and the 6
    # beside it: nothing is hidden to protect a cell the admin already knows
    assert admin[(own.number,)] == {"keys": [own.number], "value": 2.0, "suppressed": False}
    assert admin[(neighbour,)] == {"keys": [neighbour], "value": 6.0, "suppressed": False}
    # while the analyst sees the 2 hidden, and never alone: the 6 beside it in the county is
    # hidden too, or the 2 could be worked out of the county's total
    hidden = {key for key, row in analyst.items() if row["suppressed"]}
    assert hidden == {(own.number,), (neighbour,)}


async def test_the_median_days_from_referral_to_arrival_is_shown_over_five_children(gql, finnmark):
    # given the referral and arrival dates of the 40 children in one municipality
    batch = finnmark.batches[finnmark.large]
    created = {r["id"]: r["created_at"].date() for r in batch.rows[REFERRALS]}
    days = [c["settled_on"] - created[c["referral_id"]] for c in batch.rows[CHILDREN]]
    # when the analyst asks for the median by municipality
    data = await gql(
        "imdi-analyst",
        TABLE,
        {"measure": "DAYS_REFERRAL_TO_ARRIVAL", "by": ["MUNICIPALITY"], "year": YEAR},
    )
    rows = rows_by_key(data)
    # then the 40 children's median is shown and the 3 children's is not
    assert rows[(finnmark.large,)]["value"] == statistics.median(d.days for d in days)
    assert rows[(finnmark.small,)] == {"keys": [finnmark.small], "value": None, "suppressed": True}


async def test_the_share_in_education_or_work_is_given_per_milestone(gql, finnmark):
    # given the outcomes one year after settlement (recorded in 2020)
    large = finnmark.batches[finnmark.large]
    outcomes = [o for o in large.rows[OUTCOMES] if o["milestone_years"] == 1]
    share = sum(o["status"] in ("EDUCATION", "WORK") for o in outcomes) / len(outcomes)
    # when the analyst asks for the rate by municipality and milestone
    data = await gql(
        "imdi-analyst",
        TABLE,
        {
            "measure": "OUTCOME_EDUCATION_OR_WORK_RATE",
            "by": ["MUNICIPALITY", "OUTCOME_MILESTONE"],
            "year": None,
        },
    )
    rows = rows_by_key(data)
    # then the rate is shown where 40 children are behind it, and not where 3 are
    assert rows[(finnmark.large, "1")]["value"] == pytest.approx(share)
    assert rows[(finnmark.small, "1")]["suppressed"]


async def test_a_measure_cannot_be_broken_down_by_what_its_service_does_not_hold(gql):
    codes = await gql.error_codes(
        "imdi-analyst",
        TABLE,
        {"measure": "SETTLED_CHILDREN", "by": ["OUTCOME_MILESTONE"], "year": None},
    )
    assert codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("by", "year"),
    [
        (["COUNTY", "AGE_BAND", "SEX", "NATIONALITY"], None),
        (["COUNTY", "AGE_BAND", "SEX"], 2025),
        (["MUNICIPALITY", "AGE_BAND"], 2025),
    ],
)
async def test_a_table_beyond_the_dimension_limits_is_refused(gql, by, year):
    # three dimensions at most (a chosen year counting as one), and two by municipality
    variables = {"measure": "SETTLED_CHILDREN", "by": by, "year": year}
    assert await gql.error_codes("imdi-analyst", TABLE, variables) == ["BAD_USER_INPUT"]


async def test_the_outcome_rate_is_refused_across_milestones(gql):
    # a child has an outcome at each milestone: across them a share could count one child
    # up to four times
    variables = {"measure": "OUTCOME_EDUCATION_OR_WORK_RATE", "by": ["COUNTY"], "year": None}
    assert await gql.error_codes("imdi-analyst", TABLE, variables) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("username", ["bergen-caseworker", "bergen-coordinator", "imdi-allocator"])
async def test_only_analysts_and_municipality_admins_read_statistics(gql, username):
    codes = await gql.error_codes(
        username, TABLE, {"measure": "SETTLED_CHILDREN", "by": ["SEX"], "year": None}
    )
    assert codes == ["FORBIDDEN"]


@pytest.mark.parametrize(
    "query",
    [
        "{ children { totalCount edges { node { id } } } }",
        "{ referrals { totalCount edges { node { id } } } }",
        '{ child(id: "00000000-0000-0000-0000-000000000001") { id } }',
    ],
)
async def test_an_analyst_can_call_nothing_that_returns_a_person(gql, finnmark, query):
    # when an analyst asks for children or referrals, then it is refused or gets none
    body = await gql.raw("imdi-analyst", query)
    codes = [e["extensions"]["code"] for e in body.get("errors", [])]
    found = [v for v in (body.get("data") or {}).values() if v]
    assert codes in (["FORBIDDEN"], ["NOT_FOUND"]) or all(
        v["totalCount"] == 0 and v["edges"] == [] for v in found
    )


async def test_the_service_suppresses_before_the_table_leaves_it(gql, finnmark):
    # when an analyst's token calls intake's route directly, bypassing the gateway
    response = await gql.service(
        "imdi-analyst",
        "intake",
        "GET",
        "/v1/statistics/national",
        params={"measure": "SETTLED_CHILDREN", "by": ["MUNICIPALITY"], "year": YEAR},
    )
    # then the small cell is already suppressed there
    rows = {tuple(r["keys"]): r for r in response.json()["rows"]}
    assert rows[(finnmark.small,)]["suppressed"] and rows[(finnmark.small,)]["value"] is None


async def test_the_table_downloads_as_csv_and_xlsx_with_suppression_marks(gql, finnmark):
    data = await gql(
        "imdi-analyst",
        """query($year: Int) { nationalStatistics(
             measure: SETTLED_CHILDREN, by: [MUNICIPALITY], year: $year) { csv xlsx } }""",
        {"year": YEAR},
    )
    csv = data["nationalStatistics"]["csv"].splitlines()
    assert csv[0] == "MUNICIPALITY,SETTLED_CHILDREN"
    assert f"{finnmark.small},:" in csv and f"{finnmark.large},40" in csv
    workbook = zipfile.ZipFile(io.BytesIO(base64.b64decode(data["nationalStatistics"]["xlsx"])))
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert "<v>40</v>" in sheet and ">:<" in strings and finnmark.small in strings


async def test_the_application_role_still_reads_no_other_municipalitys_rows(country, finnmark):
    # given the statistics functions and the owner's policy that lets them read every row
    async with (
        country.sessions(country.database.app) as app_sessions,
        scoped_transaction(app_sessions, tenant="4601") as session,
    ):
        # when the application role sets the switch the functions set for themselves
        await session.execute(text("select set_config('havn.statistics', 'national', true)"))
        foreign = await session.scalar(
            text("select count(*) from intake.children where tenant_id = :t"), {"t": finnmark.large}
        )
        # then it still sees no row of another municipality
        assert foreign == 0
    async with (
        country.sessions(country.database.statistics) as statistics_sessions,
        scoped_transaction(statistics_sessions, tenant="4601") as session,
    ):
        # and the function gives the statistics route groups, never rows
        groups = (
            await session.execute(
                text(
                    "select * from intake.national_statistics("
                    "'SETTLED_CHILDREN', array['MUNICIPALITY'], null, array[13], '{}', '{}')"
                )
            )
        ).all()
    assert {tuple(g._fields) for g in groups} == {("keys", "size", "own", "value")}
    assert [g.size for g in groups if g.keys == [finnmark.large]] == [40]
