"""Care's plan when aftercare is decided: reopened by an acceptance, closed by a decline."""

from __future__ import annotations

from datetime import timedelta

from services.care.events import follow_aftercare_decision, follow_transition_milestone
from tests.care.milestone_support import (
    EIGHTEEN,
    OPEN_APPROVED,
    aftercare,
    approve,
    handle,
    milestone,
    plan_of,
    settle,
    state,
)


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
