"""Care's plan at 18 and 25: closed without aftercare, kept open with it, closed for good at 25."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.care.events import follow_aftercare_decision, follow_transition_milestone
from tests.care.milestone_support import (
    CLOSED_AT_18,
    EIGHTEEN,
    OPEN_APPROVED,
    TWENTY_FIVE,
    aftercare,
    approve,
    handle,
    milestone,
    plan_of,
    settle,
    state,
    versions_of,
)

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
