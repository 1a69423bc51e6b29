"""How transition's milestones reach care: redelivered, for another municipality, through NATS."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from havn import vocabulary
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.consumer import NotYetApplicable
from services.care.events import (
    SUBSCRIPTIONS,
    follow_aftercare_decision,
    follow_transition_milestone,
    open_care_for_settled_child,
)
from services.transition.background import MilestoneScheduler
from services.transition.domain import timeline as transition_timeline
from services.transition.events import open_transition_for_settled_child
from services.transition.schemas import AftercareDecisionIn
from services.transition.service import aftercare as transition_aftercare
from tests.care.milestone_support import (
    CLOSED_AT_18,
    EIGHTEEN,
    TWENTY_FIVE,
    aftercare,
    approve,
    handle,
    milestone,
    plan_of,
    settle,
    state,
)
from tests.factories import ASKER, BERGEN, child_settled, fresh_tenant
from tests.transition.support import caller, clock_on, set_day
from tests.waiting import eventually

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
