"""Care follows the end of childhood: at 18 the care plan closes unless aftercare is accepted,
accepted aftercare reopens it, a decline closes it, and at 25 it closes for good. The
handlers run against PostgreSQL with the envelopes transition publishes."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from havn import vocabulary
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict
from havn.events.consumer import NotYetApplicable
from havn.events.contracts.transition import AftercareDecidedV1, MilestoneReachedV1
from havn.events.envelope import Envelope
from havn.reach import EVERY_CHILD
from services.care import repository
from services.care.domain import assessments, care_plans
from services.care.events import (
    SUBSCRIPTIONS,
    follow_aftercare_decision,
    follow_transition_milestone,
    open_care_for_settled_child,
)
from services.care.models import CareGoal, CarePlan, CarePlanVersion
from services.transition.background import MilestoneScheduler
from services.transition.domain import timeline as transition_timeline
from services.transition.events import open_transition_for_settled_child
from services.transition.schemas import AftercareDecisionIn
from services.transition.service import aftercare as transition_aftercare
from tests.client import GraphQLClient
from tests.factories import ASKER, BERGEN, child_settled, fresh_tenant, settle_child
from tests.transition.support import caller, clock_on, set_day
from tests.waiting import eventually

Handler = Callable[[Any, Envelope], Awaitable[None]]
BORN = date(2010, 5, 17)
EIGHTEEN = date(2028, 5, 17)
TWENTY_FIVE = date(2035, 5, 17)
AFTERCARE_ENDS = TWENTY_FIVE


# --- building the events and reading the plan ---------------------------------------------


def envelope_of(contract: Any, tenant: str) -> Envelope:
    return Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor="transition-scheduler",
        data=contract.model_dump(mode="json"),
    )


def milestone(
    child_id: uuid.UUID,
    kind: str,
    *,
    due_on: date,
    accepted: bool = False,
    tenant: str = BERGEN,
) -> Envelope:
    reached = MilestoneReachedV1(
        child_id=child_id,
        milestone=kind,
        occurrence=0,
        due_on=due_on,
        reached_on=due_on + timedelta(days=1),
        aftercare_accepted=accepted,
        phase="AFTERCARE" if accepted else "TRANSITION",
    )
    return envelope_of(reached, tenant)


def aftercare(
    child_id: uuid.UUID, status: str, *, decided_on: date, tenant: str = BERGEN
) -> Envelope:
    decided = AftercareDecidedV1(
        child_id=child_id,
        status=status,
        decided_on=decided_on,
        next_offer_on=decided_on + timedelta(days=365) if status == "DECLINED" else None,
        aftercare_ends_on=AFTERCARE_ENDS,
        phase="AFTERCARE" if status == "ACCEPTED" else "TRANSITION",
    )
    return envelope_of(decided, tenant)


async def handle(sessionmaker, handler: Handler, envelope: Envelope) -> None:
    """Runs a consumer's handler as the consumer does: in the event's tenant."""
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await handler(session, envelope)


async def settle(
    sessionmaker, *, tenant: str = BERGEN, settled_on: date = date(2026, 11, 2)
) -> uuid.UUID:
    envelope = child_settled(tenant=tenant, date_of_birth=BORN, settled_on=settled_on)
    await handle(sessionmaker, open_care_for_settled_child, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def approve(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> None:
    """Gives the child's plan one goal and its approved version 1."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        plan = await session.get(CarePlan, child_id)
        assert plan is not None
        plan.childs_own_words = "I want to become an electrician"
        plan.status = vocabulary.CarePlanStatus.APPROVED
        plan.approved_on = date(2027, 1, 10)
        plan.approved_by = "bergen-caseworker"
        goal = CareGoal(
            tenant_id=tenant,
            child_id=child_id,
            domain="education",
            description="Finish lower secondary school",
            measures=["Homework help twice a week"],
            responsible="bergen-caseworker",
            review_on=date(2027, 6, 1),
        )
        session.add(goal)
        session.add(
            CarePlanVersion(
                tenant_id=tenant,
                child_id=child_id,
                version=1,
                approved_by="bergen-caseworker",
                approved_at=datetime(2027, 1, 10, 12, tzinfo=UTC),
                snapshot=care_plans.plan_snapshot([goal], plan.childs_own_words),
                changes=["first approved version"],
            )
        )


async def plan_of(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> CarePlan:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        plan = await repository.get_care_plan(session, child_id)
    assert plan is not None
    return plan


async def versions_of(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        query = select(func.count()).where(CarePlanVersion.child_id == child_id)
        return int(await session.scalar(query) or 0)


def state(plan: CarePlan) -> tuple[str, date | None, str | None]:
    return plan.status, plan.closed_on, plan.closed_reason


OPEN_APPROVED = ("APPROVED", None, None)
CLOSED_AT_18 = ("CLOSED", EIGHTEEN, "turned 18 without aftercare")


# --- the 18th birthday ----------------------------------------------------------------------


async def test_the_care_plan_closes_at_18_without_aftercare_and_keeps_its_history(
    app_sessionmaker,
):
    # given a child with an approved plan
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)

    # when the child turns 18 without having accepted aftercare
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # then the plan is closed on the birthday, its goals and approved version still there
    plan = await plan_of(app_sessionmaker, child_id)
    assert state(plan) == CLOSED_AT_18
    assert [goal.domain for goal in plan.goals] == ["education"]
    assert (plan.approved_on, plan.version) == (date(2027, 1, 10), 1)
    assert await versions_of(app_sessionmaker, child_id) == 1


async def test_the_care_plan_stays_open_at_18_when_aftercare_is_accepted(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)

    # when the child turns 18 having accepted aftercare
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN, accepted=True),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == OPEN_APPROVED


async def test_an_acceptance_handled_before_the_18th_birthday_event_keeps_the_plan_open(
    app_sessionmaker,
):
    # given care heard of the accepted aftercare first (the two events race)
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN),
    )

    # when the birthday event still says "not accepted", as it was when it was published
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == OPEN_APPROVED


@pytest.mark.parametrize("kind", ["AGE_17", "AGE_20", "AFTERCARE_OFFER_RENEWAL", "OUTCOME_1_YEAR"])
async def test_other_milestones_leave_the_care_plan_as_it_is(app_sessionmaker, kind):
    # given
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)

    # when
    await handle(
        app_sessionmaker, follow_transition_milestone, milestone(child_id, kind, due_on=EIGHTEEN)
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == OPEN_APPROVED


# --- aftercare decided later ----------------------------------------------------------------


async def test_aftercare_accepted_after_the_close_at_18_reopens_the_plan_as_it_was(
    app_sessionmaker,
):
    # given a plan closed at 18
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # when the youth accepts aftercare four months later
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN + timedelta(days=120)),
    )

    # then the plan is open again with the status it had
    plan = await plan_of(app_sessionmaker, child_id)
    assert state(plan) == OPEN_APPROVED
    assert (plan.aftercare_status, plan.status_before_close) == ("ACCEPTED", None)


async def test_a_draft_plan_reopens_as_a_draft(app_sessionmaker):
    # given a plan never approved, closed at 18
    child_id = await settle(app_sessionmaker)
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # when
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN + timedelta(days=30)),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == ("DRAFT", None, None)


async def test_declined_aftercare_closes_a_plan_kept_open_for_it(app_sessionmaker):
    # given a plan kept open at 18 by accepted aftercare
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN),
    )
    declined_on = EIGHTEEN + timedelta(days=400)

    # when the youth leaves aftercare
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "DECLINED", decided_on=declined_on),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == (
        "CLOSED",
        declined_on,
        "aftercare declined",
    )


async def test_an_older_decision_handled_late_does_not_undo_a_newer_one(app_sessionmaker):
    # given a plan closed by a decline
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    declined_on = EIGHTEEN + timedelta(days=200)
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "DECLINED", decided_on=declined_on),
    )

    # when an earlier acceptance arrives only now
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN),
    )

    # then
    plan = await plan_of(app_sessionmaker, child_id)
    assert state(plan) == ("CLOSED", declined_on, "aftercare declined")
    assert plan.aftercare_status == "DECLINED"


# --- the 25th birthday ----------------------------------------------------------------------


async def test_the_care_plan_closes_at_25_even_with_aftercare(app_sessionmaker):
    # given a plan open in aftercare
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=EIGHTEEN),
    )

    # when
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_25", due_on=TWENTY_FIVE, accepted=True),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == (
        "CLOSED",
        TWENTY_FIVE,
        "aftercare ended",
    )


async def test_nothing_reopens_a_plan_whose_aftercare_has_ended(app_sessionmaker):
    # given a plan closed at 25
    child_id = await settle(app_sessionmaker)
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_25", due_on=TWENTY_FIVE),
    )

    # when an acceptance made before 25 is handled only now
    await handle(
        app_sessionmaker,
        follow_aftercare_decision,
        aftercare(child_id, "ACCEPTED", decided_on=TWENTY_FIVE - timedelta(days=10)),
    )

    # then
    assert state(await plan_of(app_sessionmaker, child_id)) == (
        "CLOSED",
        TWENTY_FIVE,
        "aftercare ended",
    )


# --- redelivery and other municipalities ------------------------------------------------------


async def test_a_closed_plan_is_not_closed_again_by_a_redelivered_or_later_milestone(
    app_sessionmaker,
):
    # given a plan closed at 18
    child_id = await settle(app_sessionmaker)
    await approve(app_sessionmaker, child_id)
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN),
    )

    # when the birthday comes again (a republished event) and then the 25th
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_18", due_on=EIGHTEEN + timedelta(days=3)),
    )
    await handle(
        app_sessionmaker,
        follow_transition_milestone,
        milestone(child_id, "AGE_25", due_on=TWENTY_FIVE),
    )

    # then the plan still reads as closed at 18, and still remembers it was APPROVED
    plan = await plan_of(app_sessionmaker, child_id)
    assert state(plan) == CLOSED_AT_18
    assert plan.status_before_close == "APPROVED"


async def test_another_municipalitys_child_is_untouched(app_sessionmaker):
    # given an Asker child
    child_id = await settle(app_sessionmaker, tenant=ASKER)

    # when Bergen's events name it, they wait for a child Bergen does not have
    with pytest.raises(NotYetApplicable):
        await handle(
            app_sessionmaker,
            follow_transition_milestone,
            milestone(child_id, "AGE_18", due_on=EIGHTEEN, tenant=BERGEN),
        )
    with pytest.raises(NotYetApplicable):
        await handle(
            app_sessionmaker,
            follow_aftercare_decision,
            aftercare(child_id, "DECLINED", decided_on=EIGHTEEN, tenant=BERGEN),
        )

    # then Asker's plan is as it was
    plan = await plan_of(app_sessionmaker, child_id, tenant=ASKER)
    assert state(plan) == ("DRAFT", None, None)
    assert plan.aftercare_status is None


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


# --- from transition's scheduler, through NATS -------------------------------------------------


async def test_transitions_milestones_and_decisions_close_and_reopen_the_plan_through_nats(
    stack, app_sessionmaker, system_sessionmaker
):
    # given a child settled at 16 in a tenant of its own (so that moving this test's clock
    # years ahead fires none of the other tests' children), known to care and transition
    tenant = fresh_tenant()
    settled_on = Clock().today()
    born = transition_timeline.add_years(settled_on, -16) - timedelta(days=30)
    settled = child_settled(tenant=tenant, date_of_birth=born, settled_on=settled_on)
    child_id = uuid.UUID(settled.data["child_id"])
    await handle(app_sessionmaker, open_care_for_settled_child, settled)
    await handle(app_sessionmaker, open_transition_for_settled_child, settled)
    clock = clock_on(settled_on)
    scheduler = MilestoneScheduler(system_sessionmaker, clock, tenants={tenant})

    def turns(age: int) -> date:
        return transition_timeline.birthday(date_of_birth=born, age=age)

    async def care_plan_reads(expected: tuple[str, date | None, str | None]) -> None:
        await eventually(
            lambda: plan_of(app_sessionmaker, child_id, tenant=tenant),
            until=lambda plan: state(plan) == expected,
        )

    # when the child turns 18 without aftercare, then the scheduler's event closes the plan
    set_day(clock, turns(18))
    await scheduler.run_once()
    await care_plan_reads(("CLOSED", turns(18), "turned 18 without aftercare"))

    # when the youth accepts aftercare a month later, then the plan reopens
    accepted_on = turns(18) + timedelta(days=30)
    set_day(clock, accepted_on)
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await transition_aftercare.decide_aftercare(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=child_id,
            body=AftercareDecisionIn(
                status=vocabulary.AftercareStatus.ACCEPTED, decided_on=accepted_on
            ),
            clock=clock,
        )
    await care_plan_reads(("DRAFT", None, None))

    # when the youth turns 25, then the plan closes for good
    set_day(clock, turns(25))
    await scheduler.run_once()
    await care_plan_reads(("CLOSED", turns(25), "aftercare ended"))


# --- wiring -----------------------------------------------------------------------------------


def test_care_follows_transitions_milestones_and_aftercare_decisions_of_every_municipality():
    # when
    by_durable = {s.durable: (s.subject, s.handler) for s in SUBSCRIPTIONS}

    # then
    assert by_durable["care-transition-milestone"] == (
        "havn.transition.milestone.reached.*",
        follow_transition_milestone,
    )
    assert by_durable["care-aftercare-decided"] == (
        "havn.transition.aftercare.decided.*",
        follow_aftercare_decision,
    )
