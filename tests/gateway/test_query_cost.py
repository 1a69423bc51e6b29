"""A query's service calls and SQL statements do not grow with the length of its lists."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import settle_child
from tests.waiting import eventually

# Only this test's children: other tests enrol children in offers, and an enrolled child
# rightly costs community one more (fixed) statement, which would make the sizes unequal.
SURNAME = f"Kostnadsen{uuid.uuid4().hex[:8]}"
CASELOAD = """
query($first: Int!, $name: String!) {
  children: searchChildren(name: $name, first: $first) {
    totalCount
    edges { node {
      id firstName fullName interests
      carePlan { status } assessments { id } followUpNotes(first: 5) { totalCount }
      enrolments { id } transition { planOpensOn }
    } }
  }
}"""


@pytest.fixture(scope="module")
async def twelve_children(gql, stack):
    today = stack.clock.today()
    return [await settle_child(gql, today, fullName=f"Ola {SURNAME}") for _ in range(12)]


async def cost(gql, stack, first: int) -> tuple[int, list[str]]:
    services = stack.apps["gateway"].state.services
    calls_before = services.calls
    with stack.request_statements() as seen:
        data = await gql("bergen-caseworker", CASELOAD, {"first": first, "name": SURNAME})
    assert len(data["children"]["edges"]) == first
    return services.calls - calls_before, [s for each in seen.values() for s in each]


async def test_service_calls_and_statements_are_the_same_for_2_and_12_children(
    gql, stack, twelve_children
):
    # given twelve of Bergen's children, each known to every service
    await eventually(
        lambda: gql("bergen-caseworker", CASELOAD, {"first": 12, "name": SURNAME}),
        until=lambda d: all(
            e["node"]["carePlan"] and e["node"]["transition"] for e in d["children"]["edges"]
        ),
    )
    # when the same caseload query asks for 2 and for 12 children
    small_calls, small_sql = await cost(gql, stack, 2)
    large_calls, large_sql = await cost(gql, stack, 12)
    # then both cost the same number of service calls and SQL statements
    # children, care (with the note counts), community, transition
    assert small_calls == large_calls == 4
    assert small_sql, "the services' statements were counted"
    assert len(small_sql) == len(large_sql), sorted(set(large_sql) ^ set(small_sql))


async def test_an_enrolled_child_on_the_page_costs_no_extra_statement(gql, stack, twelve_children):
    # given the last child of the twelve-child page is enrolled in a partner's offer
    page = await gql("bergen-caseworker", CASELOAD, {"first": 12, "name": SURNAME})
    last = page["children"]["edges"][-1]["node"]["id"]
    await gql(
        "bergen-volunteers",
        """mutation { registerPartner(input:
        {slug: "kostnad-idrett", name: "Kostnad IL", kind: "SPORTS_CLUB"}) { id } }""",
    )
    await gql(
        "bergen-volunteers",
        """mutation($on: Date!) { createAgreement(input:
        {partnerSlug: "kostnad-idrett", scope: "Football", validFrom: $on}) { active } }""",
        {"on": stack.clock.today().isoformat()},
    )
    offer = await gql(
        "bergen-volunteers",
        """mutation { createOffer(input:
        {partnerSlug: "kostnad-idrett", title: "Football", tags: ["football"], capacity: 5})
        { id } }""",
    )
    await gql(
        "bergen-volunteers",
        """mutation($child: ID!, $offer: ID!) {
        enrol(childId: $child, offerId: $offer, consentGiven: true) { id } }""",
        {"child": last, "offer": offer["createOffer"]["id"]},
    )
    # when the first two (none enrolled) and all twelve (one enrolled) are asked for
    small_calls, small_sql = await cost(gql, stack, 2)
    large_calls, large_sql = await cost(gql, stack, 12)
    # then the enrolment's offer and partner come in the same statements
    assert small_calls == large_calls
    assert len(small_sql) == len(large_sql), sorted(set(large_sql) ^ set(small_sql))


FIELDS = (
    "carePlan { status } assessments { id } interests enrolments { id } transition { planOpensOn }"
)


async def test_fields_asked_through_fragments_load_the_same_data_with_the_same_calls(
    gql, stack, twelve_children
):
    # given the same fields asked inline and through a named and an inline fragment
    inline = (
        "query($n: String!) { searchChildren(name: $n) { edges { node { id "
        f"{FIELDS} }} }} }} }}"
    )
    fragments = (
        "query($n: String!) { searchChildren(name: $n) { edges { node { id ...Care "
        "... on Child { interests enrolments { id } transition { planOpensOn } } } } } } "
        "fragment Care on Child { carePlan { status } assessments { id } }"
    )
    services = stack.apps["gateway"].state.services

    # when both are asked
    results, calls = [], []
    for query in (inline, fragments):
        before = services.calls
        results.append(await gql("bergen-caseworker", query, {"n": SURNAME}))
        calls.append(services.calls - before)

    # then they answer the same, in the same calls: intake, care, community, transition
    assert results[0] == results[1]
    assert calls == [4, 4]


async def test_a_list_loads_nothing_for_fields_the_caller_may_not_see(gql, stack, twelve_children):
    # given a volunteer coordinator, who may see neither care plans, transitions nor notes
    services = stack.apps["gateway"].state.services
    query = (
        "{ children(first: 200) { edges { node { id "
        "carePlan { status } transition { planOpensOn } followUpNotes { totalCount } } } } }"
    )

    # when it asks its caseload with both
    before = services.calls
    body = await gql.raw("bergen-volunteers", query)

    # then each child's fields are null with FORBIDDEN at their own path, and only intake was
    # called: nothing of care's or transition's was loaded to be thrown away
    edges = body["data"]["children"]["edges"]
    assert edges and all(e["node"]["carePlan"] is None for e in edges)
    forbidden = {tuple(e["path"][-1:]) for e in body["errors"]}
    assert forbidden == {("carePlan",), ("transition",), ("followUpNotes",)}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert len(body["errors"]) == 3 * len(edges)
    assert services.calls - before == 1
