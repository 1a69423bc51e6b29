"""Through the gateway: a caseworker sees a child's timeline and records its outcomes.

The shared stack clock is never moved here: the child was referred 430 days ago (dated back
in intake's table, as the demo seed does) and arrived 400 days ago, so its plan is open and
its first outcome is due today.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cli.seed import date_back_referral
from services.transition.domain.timeline import add_years
from tests.factories import (
    ACCEPT_REFERRAL,
    COMPLETE_TASK,
    REGISTER_ARRIVAL,
    TASKS,
    create_referral,
    settle_child,
)
from tests.waiting import eventually

TRANSITION = """
query($id: ID!) { child(id: $id) { id transition {
  phase planOpensOn turns18On aftercareDecision
  timeline { milestone label dueOn reached reachedOn }
  plan { open opensOn goals { domain description status } youthsOwnWords }
  aftercare { status dueOn overdue endsOn }
  housing { type startLoan housingAllowance }
  outcomes { milestoneYears status recordedOn }
  outcomesDue { milestoneYears dueOn }
} } }"""
RECORD_OUTCOME = """
mutation($id: ID!, $input: OutcomeInput!) {
  recordOutcome(childId: $id, input: $input) { milestoneYears status recordedOn }
}"""
DECIDE_AFTERCARE = """
mutation($id: ID!, $input: AftercareDecisionInput!) {
  recordAftercareDecision(childId: $id, input: $input) { aftercare { status } }
}"""
WRITE_PLAN = """
mutation($id: ID!, $input: TransitionPlanInput!) {
  writeTransitionPlan(childId: $id, input: $input) {
    plan { goals { domain description status } youthsOwnWords }
  }
}"""
RECORD_HOUSING = """
mutation($id: ID!, $input: HousingInput!) {
  recordHousing(childId: $id, input: $input) { housing { type startLoan housingAllowance } }
}"""
CASELOAD = """
query($filter: TransitionCaseloadFilter, $first: Int, $after: String) {
  transitionCaseload(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { dueOn child { id firstName } transition { phase } } }
  }
}"""


@pytest.fixture
async def child(gql, stack) -> dict[str, Any]:
    """A 17-year-old who arrived in Bergen 400 days ago, once transition knows of them."""
    today = stack.clock.today()
    born = add_years(today, -17) - timedelta(days=200)
    referral = await create_referral(gql, today, dateOfBirth=born.isoformat())
    arrived_on = today - timedelta(days=400)
    await date_back_referral(
        stack.settings.database_owner_url,
        tenant="4601",
        referral_id=referral["id"],
        made_on=arrived_on - timedelta(days=30),
    )
    coordinator = "bergen-coordinator"
    await gql(
        coordinator,
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    for task in TASKS:
        await gql(coordinator, COMPLETE_TASK, {"id": referral["id"], "task": task})
    data = await gql(
        coordinator, REGISTER_ARRIVAL, {"id": referral["id"], "on": arrived_on.isoformat()}
    )
    settled = data["registerArrival"]
    await eventually(
        lambda: gql("bergen-caseworker", TRANSITION, {"id": settled["id"]}),
        until=lambda d: d["child"]["transition"] is not None,
    )
    # What is due today fires now, not (at its own moment) in the middle of a test.
    await stack.apps["transition"].state.milestone_scheduler.run_once()
    return {"id": settled["id"], "born": born, "arrived_on": arrived_on, "today": today}


async def test_a_caseworker_sees_the_childs_timeline_and_what_is_due(gql, child):
    # when (the fixture ran the scheduler for today)
    data = await gql("bergen-caseworker", TRANSITION, {"id": child["id"]})

    # then
    transition = data["child"]["transition"]
    born, arrived_on, today = child["born"], child["arrived_on"], child["today"]
    assert transition["phase"] == "TRANSITION"
    assert transition["planOpensOn"] == add_years(born, 17).isoformat()
    assert transition["turns18On"] == add_years(born, 18).isoformat()
    timeline = {entry["milestone"]: entry for entry in transition["timeline"]}
    assert set(timeline) == {
        "AGE_17",
        "AGE_18",
        "AGE_20",
        "AGE_25",
        "OUTCOME_1_YEAR",
        "OUTCOME_2_YEARS",
        "OUTCOME_4_YEARS",
        "OUTCOME_5_YEARS",
    }
    assert timeline["AGE_17"]["reached"] is True
    assert timeline["OUTCOME_1_YEAR"]["reached"] is True
    assert timeline["AGE_18"] == {
        "milestone": "AGE_18",
        "label": "Turns 18: guardianship ends; the aftercare decision is due",
        "dueOn": add_years(born, 18).isoformat(),
        "reached": False,
        "reachedOn": None,
    }
    assert [e["dueOn"] for e in transition["timeline"]] == sorted(
        e["dueOn"] for e in transition["timeline"]
    )
    assert transition["plan"]["open"] is True
    assert transition["aftercare"] == {
        "status": None,
        "dueOn": add_years(born, 18).isoformat(),
        "overdue": False,
        "endsOn": add_years(born, 25).isoformat(),
    }
    assert transition["outcomesDue"] == [
        {"milestoneYears": 1, "dueOn": add_years(arrived_on, 1).isoformat()}
    ]
    assert today >= add_years(arrived_on, 1)


async def test_a_caseworker_records_an_outcome_and_it_is_no_longer_due(gql, child):
    # when
    data = await gql(
        "bergen-caseworker",
        RECORD_OUTCOME,
        {"id": child["id"], "input": {"milestoneYears": 1, "status": "EDUCATION"}},
    )

    # then
    assert data["recordOutcome"] == {
        "milestoneYears": 1,
        "status": "EDUCATION",
        "recordedOn": child["today"].isoformat(),
    }
    transition = (await gql("bergen-caseworker", TRANSITION, {"id": child["id"]}))["child"][
        "transition"
    ]
    assert [(o["milestoneYears"], o["status"]) for o in transition["outcomes"]] == [
        (1, "EDUCATION")
    ]
    assert transition["outcomesDue"] == []


@pytest.mark.parametrize(
    ("mutation", "variables", "field"),
    [
        (RECORD_OUTCOME, {"milestoneYears": 3, "status": "WORK"}, "milestoneYears"),
        (RECORD_OUTCOME, {"milestoneYears": 2, "status": "WORK"}, "milestoneYears"),
        (DECIDE_AFTERCARE, {"status": "DECLINED", "decidedOn": "TODAY"}, "decidedOn"),
        (
            WRITE_PLAN,
            {"goals": [{"domain": "LEISURE", "description": "Football"}]},
            "goals[0].domain",
        ),
    ],
    ids=["non-milestone-year", "before-milestone-date", "aftercare-before-18", "unknown-domain"],
)
async def test_bad_input_through_the_gateway_is_refused_and_writes_nothing(
    gql, child, mutation, variables, field
):
    # given
    before = await gql("bergen-caseworker", TRANSITION, {"id": child["id"]})
    if variables.get("decidedOn") == "TODAY":
        variables = {**variables, "decidedOn": child["today"].isoformat()}

    # when
    body = await gql.raw("bergen-caseworker", mutation, {"id": child["id"], "input": variables})

    # then
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await gql("bergen-caseworker", TRANSITION, {"id": child["id"]}) == before


async def test_a_caseworker_writes_the_plan_in_the_youths_own_words_and_records_housing(gql, child):
    # when
    plan = await gql(
        "bergen-caseworker",
        WRITE_PLAN,
        {
            "id": child["id"],
            "input": {
                "goals": [
                    {"domain": "EDUCATION", "description": "Vg2 health", "status": "IN_PROGRESS"},
                    {"domain": "FINANCES", "description": "Own budget"},
                ],
                "youthsOwnWords": "Jeg vil bli sykepleier",
            },
        },
    )
    housing = await gql(
        "bergen-caseworker",
        RECORD_HOUSING,
        {"id": child["id"], "input": {"type": "SUPPORTED", "housingAllowance": True}},
    )

    # then
    assert plan["writeTransitionPlan"]["plan"] == {
        "goals": [
            {"domain": "EDUCATION", "description": "Vg2 health", "status": "IN_PROGRESS"},
            {"domain": "FINANCES", "description": "Own budget", "status": "NOT_STARTED"},
        ],
        "youthsOwnWords": "Jeg vil bli sykepleier",
    }
    assert housing["recordHousing"]["housing"] == {
        "type": "SUPPORTED",
        "startLoan": False,
        "housingAllowance": True,
    }


async def test_only_caseworkers_of_the_childs_municipality_record_outcomes(gql, child):
    # when
    variables = {"id": child["id"], "input": {"milestoneYears": 1, "status": "WORK"}}
    codes = {
        user: await gql.error_codes(user, RECORD_OUTCOME, variables)
        for user in ("bergen-coordinator", "bergen-contact", "asker-caseworker")
    }

    # then
    assert codes == {
        "bergen-coordinator": ["FORBIDDEN"],
        "bergen-contact": ["FORBIDDEN"],
        "asker-caseworker": ["NOT_FOUND"],
    }


async def test_the_caseload_lists_children_with_an_outcome_due_with_the_child(gql, child):
    # when every page is read
    found: list[dict[str, Any]] = []
    after = None
    while True:
        data = await gql(
            "bergen-caseworker", CASELOAD, {"filter": "OUTCOME_DUE", "first": 50, "after": after}
        )
        page = data["transitionCaseload"]
        found += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then
    (mine,) = [node for node in found if node["child"] and node["child"]["id"] == child["id"]]
    assert mine["dueOn"] == add_years(child["arrived_on"], 1).isoformat()
    assert mine["child"]["firstName"] == "Amina"
    assert mine["transition"]["phase"] == "TRANSITION"
    assert len(found) == page["totalCount"]


async def test_a_coordinator_sees_the_transition_but_a_contact_person_does_not(gql, child):
    # when
    coordinator = await gql.raw("bergen-coordinator", TRANSITION, {"id": child["id"]})
    caseload = await gql.error_codes("bergen-contact", CASELOAD, {})

    # then
    assert coordinator["data"]["child"]["transition"]["phase"] == "TRANSITION"
    assert caseload == ["FORBIDDEN"]


FULL_CASELOAD = """
query($first: Int!) {
  transitionCaseload(first: $first) {
    edges { node { dueOn child { id firstName } transition {
      phase timeline { milestone } plan { goals { domain } } aftercare { history { status } }
      outcomes { status } outcomesDue { dueOn }
    } } }
  }
}"""


async def test_the_caseload_costs_the_same_service_calls_and_statements_for_2_and_12(gql, stack):
    # given at least twelve open transitions in Bergen
    today = stack.clock.today()
    for _ in range(12):
        await settle_child(gql, today)
    await eventually(
        lambda: gql("bergen-caseworker", FULL_CASELOAD, {"first": 12}),
        until=lambda d: len(d["transitionCaseload"]["edges"]) == 12,
    )
    services = stack.apps["gateway"].state.services

    async def cost(first: int) -> tuple[int, int]:
        calls_before = services.calls
        with stack.request_statements() as seen:
            data = await gql("bergen-caseworker", FULL_CASELOAD, {"first": first})
        assert len(data["transitionCaseload"]["edges"]) == first
        return services.calls - calls_before, sum(map(len, seen.values()))

    # when
    small, large = await cost(2), await cost(12)

    # then: the caseload page, and one batch of children from intake
    assert small == large
    assert small[0] == 2
    assert small[1] > 0, "the services' statements for the requests were counted"
