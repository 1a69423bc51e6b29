"""What a care plan closed by a milestone refuses: in the domain, the caseload and the gateway."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from havn import vocabulary
from havn.db import scoped_transaction
from havn.errors import Conflict
from havn.reach import EVERY_CHILD
from services.care import repository
from services.care.domain import assessments, care_plans
from services.care.events import follow_transition_milestone
from services.care.models import CareGoal, CarePlan
from tests.care.milestone_support import EIGHTEEN, handle, milestone, settle
from tests.client import GraphQLClient
from tests.factories import BERGEN, settle_child
from tests.waiting import eventually

# --- what a closed plan refuses -------------------------------------------------------------


def closed_plan() -> CarePlan:
    return CarePlan(
        child_id=uuid.uuid4(),
        tenant_id=BERGEN,
        status="CLOSED",
        childs_own_words="I like football",
        version=1,
        closed_on=EIGHTEEN,
        closed_reason="turned 18 without aftercare",
    )


def test_a_closed_plan_refuses_approval_naming_its_state():
    # given
    plan = closed_plan()
    goal = CareGoal(domain="education", description="School", review_on=EIGHTEEN)

    # when / then
    with pytest.raises(Conflict, match="CLOSED") as refused:
        care_plans.approve_care_plan(
            plan,
            goals=[goal],
            previous=None,
            by="bergen-caseworker",
            now=datetime(2028, 5, 20, tzinfo=UTC),
            today=date(2028, 5, 20),
        )
    assert "turned 18 without aftercare" in str(refused.value)
    assert plan.status == "CLOSED"


def test_a_closed_plan_refuses_changes_and_assessments():
    # given
    plan = closed_plan()
    goal = care_plans.GoalInput(
        domain="education",
        description="School",
        measures=["Homework help"],
        responsible="bergen-caseworker",
        review_on=date(2028, 9, 1),
    )
    score = assessments.ScoreInput(domain="health", score=3)

    # when / then
    with pytest.raises(Conflict, match="cannot change a care plan: the care plan is CLOSED"):
        care_plans.revise_care_plan(
            plan, goals=[goal], childs_own_words="x", today=date(2028, 6, 1)
        )
    with pytest.raises(Conflict, match="cannot record an assessment: the care plan is CLOSED"):
        assessments.record_assessment(
            plan,
            scores=[score],
            childs_own_words="Fine",
            notes=None,
            interval_months=6,
            by="bergen-caseworker",
            today=date(2028, 6, 1),
        )
    assert (plan.status, plan.version, plan.childs_own_words) == ("CLOSED", 1, "I like football")


async def test_a_closed_plan_is_no_backlog_in_the_caseload(app_sessionmaker):
    # given a child whose first assessment is long overdue, and whose plan closed at 18
    child_id = await settle(app_sessionmaker, settled_on=date(2020, 1, 6))
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # when
    found: dict[vocabulary.CaseloadFilter, set[uuid.UUID]] = {}
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        for filter in (
            vocabulary.CaseloadFilter.ALL,
            vocabulary.CaseloadFilter.OVERDUE_ASSESSMENT,
            vocabulary.CaseloadFilter.CARE_PLAN_NOT_APPROVED,
        ):
            found[filter] = set()
            after = None
            while True:
                page, _ = await repository.caseload(
                    session,
                    filter=filter,
                    username="bergen-caseworker",
                    reach=EVERY_CHILD,
                    today=date(2028, 6, 1),
                    first=200,
                    after=after,
                )
                found[filter] |= {child.id for child, _ in page.items}
                if not page.has_next_page:
                    break
                after = page.end_cursor

    # then the child is still in the caseload, but in neither backlog
    assert [child_id in found[f] for f in found] == [True, False, False]


# --- through the gateway --------------------------------------------------------------------

CARE_PLAN = """query($id: ID!) { childCare(childId: $id) {
  carePlanStatus assessmentOverdue carePlan { status closedOn closedReason } } }"""
APPROVE_PLAN = "mutation($id: ID!) { approveCarePlan(childId: $id) { status } }"
UPDATE_PLAN = """mutation($id: ID!, $input: CarePlanInput!) {
  updateCarePlan(childId: $id, input: $input) { status } }"""


async def test_a_caseworker_sees_the_closed_plan_and_cannot_approve_or_change_it(
    gql: GraphQLClient, stack, app_sessionmaker
):
    # given a child settled in Bergen whose plan closed at 18
    today = stack.clock.today()
    child = await settle_child(gql, today)
    child_id = child["id"]
    await eventually(
        lambda: gql.raw("bergen-caseworker", CARE_PLAN, {"id": child_id}),
        until=lambda body: bool(body.get("data") and body["data"]["childCare"]),
    )
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(uuid.UUID(child_id), "AGE_18", due_on=today),
    )
    plan_input = {
        "goals": [
            {
                "domain": "education",
                "description": "School",
                "measures": ["Homework help"],
                "responsible": "bergen-caseworker",
                "reviewOn": (today + timedelta(days=60)).isoformat(),
            }
        ],
        "childsOwnWords": "I like school",
    }

    # when
    care = (await gql("bergen-caseworker", CARE_PLAN, {"id": child_id}))["childCare"]
    approve = await gql.raw("bergen-caseworker", APPROVE_PLAN, {"id": child_id})
    update = await gql.raw("bergen-caseworker", UPDATE_PLAN, {"id": child_id, "input": plan_input})

    # then
    assert care == {
        "carePlanStatus": "CLOSED",
        "assessmentOverdue": False,
        "carePlan": {
            "status": "CLOSED",
            "closedOn": today.isoformat(),
            "closedReason": "turned 18 without aftercare",
        },
    }
    for refused in (approve, update):
        (error,) = refused["errors"]
        assert error["extensions"]["code"] == "CONFLICT"
        assert "CLOSED" in error["message"]
