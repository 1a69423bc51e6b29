"""A caseload of 200 children, with each plan's status and next assessment date, costs the
same service calls and SQL statements as a caseload of 2."""

from __future__ import annotations

import pytest

from havn.db import scoped_transaction
from services.care.events import open_care_for_settled_child
from tests.factories import Municipality, child_settled, fresh_municipality

CASELOAD = """
query($first: Int!) {
  caseload(first: $first) {
    totalCount counts { all overdueAssessment carePlanNotApproved noContactPerson }
    edges { node {
      childId firstName carePlanStatus nextAssessmentDue assessmentOverdue contactPerson
      carePlan { status goals { domain } }
      child { id }
    } }
  }
}"""


@pytest.fixture(scope="module")
async def two_hundred_children(gql, stack, app_sessionmaker) -> Municipality:
    """A municipality of the module's own with 200 children, as care hears of them (intake is
    not needed here)."""
    town = await fresh_municipality(gql)
    async with scoped_transaction(app_sessionmaker, tenant=town.number) as session:
        for _ in range(200):
            await open_care_for_settled_child(
                session, child_settled(tenant=town.number, settled_on=stack.clock.today())
            )
    return town


async def cost(gql, stack, caseworker: str, first: int) -> tuple[int, int]:
    """Service calls and care's statements for one caseload (intake's share is counted in
    tests/gateway)."""
    services = stack.apps["gateway"].state.services
    calls_before = services.calls
    with stack.request_statements() as seen:
        data = await gql(caseworker, CASELOAD, {"first": first})
    edges = data["caseload"]["edges"]
    assert len(edges) == first
    assert all(e["node"]["carePlanStatus"] and e["node"]["nextAssessmentDue"] for e in edges)
    return (
        services.calls - calls_before,
        len(seen["care"]),
    )


async def test_a_caseload_of_200_costs_the_same_calls_and_statements_as_one_of_2(
    gql, stack, two_hundred_children
):
    # given 200 children in a municipality's caseload
    caseworker = two_hundred_children.caseworker
    # when the caseload is read 2 and 200 at a time
    small = await cost(gql, stack, caseworker, 2)
    large = await cost(gql, stack, caseworker, 200)

    # then both cost the same: 3 calls (caseload, care records, intake's children); in care,
    # the caseload (tenant, counts, page, access log) and the care records (tenant, children,
    # plans, goals, assessments, one access-log write for every data class read), and for
    # each of the two calls the note of the caller's roles (havn/staff.py) and the look-up of
    # the children the caller opened by breaking the glass (havn/reach.py)
    assert small == large
    assert large == (3, 4 + 6 + 2 + 2)
