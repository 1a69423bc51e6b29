"""The whole phase 1-2 story through the gateway, as README tells it, told in two
municipalities of the test's own (it counts their places)."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import ACCEPT_REFERRAL, COMPLETE_TASK, create_referral, fresh_municipality
from tests.intake.test_capacity import CAPACITY, PLACES, national_capacity, places_of
from tests.intake.test_checklist import UPDATE_TASK
from tests.intake.test_child_profile import UPDATE
from tests.intake.test_relocation import ACCEPT as ACCEPT_RELOCATION
from tests.intake.test_relocation import CHILD, PROPOSE

DECISION = """
mutation($year: Int!) { recordSettlementDecision(year: $year, minors: 25) { settlementDecision } }
"""
ARRIVE = """
mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) {
  id firstName openPreparationTasks { kind } } }"""


async def test_capacity_referral_checklist_arrival_profile_and_relocation(gql, stack):
    today = stack.clock.today()
    home, neighbour = await fresh_municipality(gql), await fresh_municipality(gql)
    # a municipality records its decision and group places; the allocator sees them
    await gql(home.admin, DECISION, {"year": today.year})
    await gql(home.admin, PLACES, {"arrangement": "SOS_FAMILY", "places": 400, "free": 200})
    assert (await national_capacity(gql))[home.number]["settlementDecision"] == 25

    # IMDi refers a minor; the municipality accepts into an SOS family, which takes a place
    referral = await create_referral(
        gql, today, municipality=home.number, fullName="Mohammed Nuur", nationality="SO"
    )
    await gql(
        home.coordinator,
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {
                "plannedArrival": (today + timedelta(days=1)).isoformat(),
                "careArrangement": "SOS_FAMILY",
            },
        },
    )
    capacity = (await gql(home.coordinator, CAPACITY))["capacity"]
    assert places_of(capacity, "SOS_FAMILY")["free"] == 199

    # the checklist: the caseworker does the tasks due before arrival, and is given housing
    for task in ("GUARDIAN", "INTERPRETER"):
        await gql(home.caseworker, COMPLETE_TASK, {"id": referral["id"], "task": task})
    await gql(
        home.coordinator,
        UPDATE_TASK,
        {"id": referral["id"], "task": "HOUSING", "input": {"owner": home.caseworker}},
    )
    data = await gql(home.caseworker, COMPLETE_TASK, {"id": referral["id"], "task": "HOUSING"})
    assert data["completePreparationTask"]["readyForArrival"]

    # the child arrives; school, GP, health check and bank are still open, and reported
    child = (await gql(home.coordinator, ARRIVE, {"id": referral["id"], "on": today.isoformat()}))[
        "registerArrival"
    ]
    assert len(child["openPreparationTasks"]) == 4

    # the caseworker records the guardian and interpreter
    profile = await gql(
        home.caseworker,
        UPDATE,
        {
            "id": child["id"],
            "input": {
                "interpreterNeeded": True,
                "interpreterLanguage": "so",
                "guardian": {"name": "Kari Nordmann", "appointedOn": today.isoformat()},
            },
        },
    )
    assert profile["updateChild"]["guardian"]["name"] == "Kari Nordmann"

    # it proposes a move to its neighbour, which takes the child over
    proposal = (
        await gql(home.coordinator, PROPOSE, {"child": child["id"], "to": neighbour.number})
    )["proposeRelocation"]
    await gql(
        neighbour.coordinator,
        ACCEPT_RELOCATION,
        {"id": proposal["id"], "input": {"careArrangement": "GROUP_HOME"}},
    )
    moved = await gql(neighbour.caseworker, CHILD, {"id": child["id"]})
    assert moved["child"]["municipality"] == neighbour.number
    assert await gql.error_codes(home.caseworker, CHILD, {"id": child["id"]}) == ["NOT_FOUND"]
    # and the municipality's SOS family place is free again
    capacity = (await gql(home.coordinator, CAPACITY))["capacity"]
    assert places_of(capacity, "SOS_FAMILY")["free"] == 200
