"""The first settlement, end to end through the gateway with the dev users' tokens."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import (
    ACCEPT_REFERRAL,
    COMPLETE_TASK,
    REGISTER_ARRIVAL,
    TASKS,
    create_referral,
    settle_child,
)
from tests.waiting import eventually

CHILD = """
query Child($id: ID!) {
  child(id: $id) {
    id municipality phase firstName age languages fullName dateOfBirth settledOn
    careArrangement
    carePlan { status goals { domain } childsOwnWords approvedOn }
    transition { planOpensOn aftercareDecision outcomes { milestoneYears } }
    enrolments { id }
  }
}"""


def seventeenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 17)
    except ValueError:  # 29 February
        return date(born.year + 17, 3, 1)


async def test_a_referral_is_allocated_accepted_prepared_and_settled(gql, stack):
    today = stack.clock.today()
    born = today - timedelta(days=16 * 365)

    # given IMDi allocates a minor to Bergen
    referral = await create_referral(gql, today, dateOfBirth=born.isoformat())
    assert referral["status"] == "PENDING"
    assert referral["municipality"] == "4601"

    # when Bergen accepts it
    accepted = (
        await gql(
            "bergen-coordinator",
            ACCEPT_REFERRAL,
            {
                "id": referral["id"],
                "input": {
                    "plannedArrival": (today + timedelta(days=1)).isoformat(),
                    "careArrangement": "GROUP_HOME",
                },
            },
        )
    )["acceptReferral"]
    # then a checklist with every task kind is due around the planned arrival
    assert accepted["status"] == "ACCEPTED"
    assert sorted(t["kind"] for t in accepted["preparation"]) == sorted(TASKS)
    assert not accepted["readyForArrival"]

    # when the checklist is completed and the child arrives
    for task in TASKS:
        prepared = (
            await gql("bergen-coordinator", COMPLETE_TASK, {"id": referral["id"], "task": task})
        )["completePreparationTask"]
    assert prepared["readyForArrival"]
    child = (
        await gql(
            "bergen-coordinator", REGISTER_ARRIVAL, {"id": referral["id"], "on": today.isoformat()}
        )
    )["registerArrival"]
    assert child["firstName"] == "Amina"
    assert child["settledOn"] == today.isoformat()

    # then care drafts a plan and transition knows when the plan opens: via child.settled
    data = await eventually(
        lambda: gql("bergen-caseworker", CHILD, {"id": child["id"]}),
        until=lambda d: d["child"]["carePlan"] is not None and d["child"]["transition"] is not None,
    )
    settled = data["child"]
    assert settled["phase"] == "CARE"
    assert settled["fullName"] == "Amina Rahimi"
    assert settled["carePlan"]["status"] == "DRAFT"
    assert settled["carePlan"]["approvedOn"] is None
    assert settled["transition"]["planOpensOn"] == seventeenth_birthday(born).isoformat()
    assert settled["transition"]["aftercareDecision"] is None
    assert settled["enrolments"] == []


async def test_the_phase_is_transitions_computation_for_every_role(gql, stack):
    # given a child settled at seventeen and a half (intake alone would say CARE)
    today = stack.clock.today()
    born = today - timedelta(days=17 * 365 + 180)
    child = await settle_child(gql, today, dateOfBirth=born.isoformat())
    query = "query($id: ID!) { child(id: $id) { phase } }"
    # when caseworker and volunteer coordinator ask for the phase
    # then both see TRANSITION, from the one place that computes it
    for username in ("bergen-caseworker", "bergen-volunteers"):

        async def phase_seen_by(who: str = username) -> str:
            return str((await gql(who, query, {"id": child["id"]}))["child"]["phase"])

        assert await eventually(phase_seen_by, until=lambda p: p == "TRANSITION") == "TRANSITION"
