"""The whole phase 1-2 story through the gateway, with the dev users, as README tells it."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import ACCEPT_REFERRAL, COMPLETE_TASK, create_referral
from tests.intake.test_capacity import CAPACITY, NATIONAL, PLACES, places_of
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
    # Bergen records its decision and group places; the allocator sees them
    await gql("bergen-admin", DECISION, {"year": today.year})
    await gql("bergen-admin", PLACES, {"arrangement": "SOS_FAMILY", "places": 400, "free": 200})
    national = await gql("imdi-allocator", NATIONAL, {"first": 50})
    bergen = next(
        e["node"]
        for e in national["nationalCapacity"]["edges"]
        if e["node"]["municipality"] == "4601"
    )
    assert bergen["settlementDecision"] == 25

    # IMDi refers a minor; Bergen accepts into an SOS family, which takes a place
    referral = await create_referral(gql, today, fullName="Mohammed Nuur", nationality="SO")
    await gql(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {
                "plannedArrival": (today + timedelta(days=1)).isoformat(),
                "careArrangement": "SOS_FAMILY",
            },
        },
    )
    capacity = (await gql("bergen-coordinator", CAPACITY))["capacity"]
    assert places_of(capacity, "SOS_FAMILY")["free"] == 199

    # the checklist: the caseworker does the tasks due before arrival, and is given housing
    for task in ("GUARDIAN", "INTERPRETER"):
        await gql("bergen-caseworker", COMPLETE_TASK, {"id": referral["id"], "task": task})
    await gql(
        "bergen-coordinator",
        UPDATE_TASK,
        {"id": referral["id"], "task": "HOUSING", "input": {"owner": "bergen-caseworker"}},
    )
    data = await gql("bergen-caseworker", COMPLETE_TASK, {"id": referral["id"], "task": "HOUSING"})
    assert data["completePreparationTask"]["readyForArrival"]

    # the child arrives; school, GP, health check and bank are still open, and reported
    child = (
        await gql("bergen-coordinator", ARRIVE, {"id": referral["id"], "on": today.isoformat()})
    )["registerArrival"]
    assert len(child["openPreparationTasks"]) == 4

    # the caseworker records the guardian and interpreter
    profile = await gql(
        "bergen-caseworker",
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

    # Bergen proposes a move to Asker, and Asker takes the child over
    proposal = (await gql("bergen-coordinator", PROPOSE, {"child": child["id"], "to": "3203"}))[
        "proposeRelocation"
    ]
    await gql(
        "asker-coordinator",
        ACCEPT_RELOCATION,
        {"id": proposal["id"], "input": {"careArrangement": "GROUP_HOME"}},
    )
    moved = await gql("asker-caseworker", CHILD, {"id": child["id"]})
    assert moved["child"]["municipality"] == "3203"
    assert await gql.error_codes("bergen-caseworker", CHILD, {"id": child["id"]}) == ["NOT_FOUND"]
    # and Bergen's SOS family place is free again
    capacity = (await gql("bergen-coordinator", CAPACITY))["capacity"]
    assert places_of(capacity, "SOS_FAMILY")["free"] == 200
