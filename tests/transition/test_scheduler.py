"""The milestone scheduler, with its own clock: each milestone fires once, the phase follows.

Each test uses a tenant of its own (`fresh_tenant`) and a scheduler confined to it, so moving this
clock years ahead fires none of the other tests' children.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import text

from havn import vocabulary
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.tables import system_transaction
from services.transition.background import MilestoneScheduler
from services.transition.domain import timeline
from services.transition.schemas import AftercareDecisionIn
from services.transition.service import aftercare
from tests.factories import fresh_tenant
from tests.transition.support import (
    Sessionmaker,
    caller,
    clock_on,
    published,
    set_day,
    settle,
    transition_as_shown,
)

REACHED = "transition.milestone.reached"


def scheduler_for(sessionmaker: Sessionmaker, clock, tenant: str) -> MilestoneScheduler:
    return MilestoneScheduler(sessionmaker, clock, tenants={tenant})


async def test_one_child_walked_from_settlement_at_16_to_25_reaches_each_milestone_once(
    app_sessionmaker,
    system_sessionmaker,
):
    # given a child settled today at 16, in a tenant of its own
    tenant = fresh_tenant()
    settled_on = Clock().today()
    born = timeline.add_years(settled_on, -16) - timedelta(days=60)
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=settled_on
    )
    clock = clock_on(settled_on)
    scheduler = scheduler_for(system_sessionmaker, clock, tenant)
    caseworker = caller(Role.CASEWORKER, tenant)

    def turns(age: int) -> date:
        return timeline.birthday(date_of_birth=born, age=age)

    def years_after_settlement(years: int) -> date:
        return timeline.add_years(settled_on, years)

    async def walk_to(day: date) -> list[str]:
        set_day(clock, day)
        fired = await scheduler.run_once()
        return [r.event.milestone for r in fired if r.event.child_id == child_id]

    async def phase_on(day: date) -> vocabulary.Phase:
        shown = await transition_as_shown(app_sessionmaker, child_id, tenant=tenant, today=day)
        return shown.phase

    async def decide(status: vocabulary.AftercareStatus, on: date) -> None:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await aftercare.decide_aftercare(
                session,
                principal=caseworker,
                child_id=child_id,
                body=AftercareDecisionIn(status=status, decided_on=on),
                clock=clock,
            )

    # when / then: the walk, step by step
    assert await walk_to(settled_on) == []
    assert await phase_on(settled_on) == vocabulary.Phase.CARE

    assert await walk_to(turns(17) - timedelta(days=1)) == []
    assert await phase_on(turns(17) - timedelta(days=1)) == vocabulary.Phase.CARE

    assert await walk_to(turns(17)) == ["AGE_17"]
    assert await walk_to(turns(17)) == [], "a second run the same day fires nothing"
    assert await phase_on(turns(17)) == vocabulary.Phase.TRANSITION

    assert await walk_to(years_after_settlement(1)) == ["OUTCOME_1_YEAR"]

    assert await walk_to(turns(18)) == ["AGE_18"]
    assert await phase_on(turns(18)) == vocabulary.Phase.TRANSITION

    declined_on = turns(18) + timedelta(days=10)
    set_day(clock, declined_on)
    await decide(vocabulary.AftercareStatus.DECLINED, declined_on)
    assert await phase_on(declined_on) == vocabulary.Phase.TRANSITION

    assert await walk_to(years_after_settlement(2)) == ["OUTCOME_2_YEARS"]

    renewal_on = timeline.add_years(declined_on, 1)
    assert await walk_to(renewal_on - timedelta(days=1)) == []
    assert await walk_to(renewal_on) == ["AFTERCARE_OFFER_RENEWAL"]
    await decide(vocabulary.AftercareStatus.ACCEPTED, renewal_on)
    assert await phase_on(renewal_on) == vocabulary.Phase.AFTERCARE

    # a long pause: everything due meanwhile fires in one run, in date order
    assert await walk_to(turns(25)) == [
        "AGE_20",
        "OUTCOME_4_YEARS",
        "OUTCOME_5_YEARS",
        "AGE_25",
    ]
    assert await phase_on(turns(25) - timedelta(days=1)) == vocabulary.Phase.AFTERCARE
    assert await phase_on(turns(25)) == vocabulary.Phase.CLOSED
    assert await walk_to(turns(25) + timedelta(days=400)) == []

    # and the outbox holds exactly one event per milestone
    sent = await published(app_sessionmaker, child_id, tenant=tenant, event_type=REACHED)
    assert sorted(e["milestone"] for e in sent) == sorted(
        [
            "AGE_17",
            "AGE_18",
            "AGE_20",
            "AGE_25",
            "AFTERCARE_OFFER_RENEWAL",
            "OUTCOME_1_YEAR",
            "OUTCOME_2_YEARS",
            "OUTCOME_4_YEARS",
            "OUTCOME_5_YEARS",
        ]
    )


async def test_the_18th_birthday_event_tells_care_whether_aftercare_was_accepted(
    app_sessionmaker,
    system_sessionmaker,
):
    # given a child turning 18, with no aftercare decision yet
    tenant = fresh_tenant()
    born = timeline.add_years(Clock().today(), -17) - timedelta(days=30)
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=Clock().today()
    )
    turns_18 = timeline.birthday(date_of_birth=born, age=18)
    scheduler = scheduler_for(system_sessionmaker, clock_on(turns_18), tenant)

    # when
    await scheduler.run_once()

    # then
    (event,) = [
        e
        for e in await published(app_sessionmaker, child_id, tenant=tenant, event_type=REACHED)
        if e["milestone"] == "AGE_18"
    ]
    assert event["aftercare_accepted"] is False
    assert (event["due_on"], event["reached_on"]) == (turns_18.isoformat(), turns_18.isoformat())
    assert event["phase"] == "TRANSITION"


async def test_two_schedulers_running_at_once_fire_each_milestone_once(
    app_sessionmaker, system_sessionmaker
):
    # given children with milestones due, and two replicas of the scheduler
    tenant = fresh_tenant()
    born = timeline.add_years(Clock().today(), -16) - timedelta(days=60)
    children = [
        await settle(
            app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=Clock().today()
        )
        for _ in range(5)
    ]
    day = timeline.birthday(date_of_birth=born, age=18)
    first, second = (
        MilestoneScheduler(system_sessionmaker, clock_on(day), tenants={tenant}, batch_size=2)
        for _ in range(2)
    )

    # when
    fired_first, fired_second = await asyncio.gather(first.run_once(), second.run_once())

    # then every milestone due by that day fired once, by one or the other
    fired = [(r.event.child_id, r.event.milestone) for r in fired_first + fired_second]
    assert len(fired) == len(set(fired))
    for child_id in children:
        shown = await transition_as_shown(app_sessionmaker, child_id, tenant=tenant, today=day)
        due = sorted(m.milestone.value for m in shown.timeline if m.due_on <= day)
        assert "AGE_18" in due
        assert sorted(m for c, m in fired if c == child_id) == due
        sent = await published(app_sessionmaker, child_id, tenant=tenant, event_type=REACHED)
        assert sorted(e["milestone"] for e in sent) == due


async def test_a_scheduler_serves_every_tenant_each_under_its_own_row_level_security(
    app_sessionmaker,
    system_sessionmaker,
):
    # given a child due in each of two tenants
    tenants = (fresh_tenant(), fresh_tenant())
    born = timeline.add_years(Clock().today(), -16) - timedelta(days=60)
    children = {
        tenant: await settle(
            app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=Clock().today()
        )
        for tenant in tenants
    }
    day = timeline.birthday(date_of_birth=born, age=17)
    scheduler = MilestoneScheduler(system_sessionmaker, clock_on(day), tenants=set(tenants))

    # when
    fired = await scheduler.run_once()

    # then each fired in its own tenant, and each tenant's outbox holds only its own event
    assert {(r.tenant, r.event.child_id) for r in fired} == {(t, c) for t, c in children.items()}
    for tenant, child_id in children.items():
        other = next(t for t in tenants if t != tenant)
        assert (
            len(await published(app_sessionmaker, child_id, tenant=tenant, event_type=REACHED)) == 1
        )
        assert await published(app_sessionmaker, child_id, tenant=other, event_type=REACHED) == []


async def test_a_milestone_that_has_passed_before_settlement_fires_at_the_next_run(
    app_sessionmaker,
    system_sessionmaker,
):
    # given a child who arrives at 17 and a half: its plan opened before it came (all dates
    # lie ahead of the real today, so no other scheduler takes them first)
    tenant = fresh_tenant()
    settled_on = Clock().today() + timedelta(days=400)
    born = timeline.add_years(settled_on, -17) - timedelta(days=180)
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=settled_on
    )
    scheduler = scheduler_for(system_sessionmaker, clock_on(settled_on), tenant)

    # when
    fired = await scheduler.run_once()

    # then
    assert [(r.event.child_id, r.event.milestone) for r in fired] == [(child_id, "AGE_17")]
    shown = await transition_as_shown(app_sessionmaker, child_id, tenant=tenant, today=settled_on)
    assert shown.phase == vocabulary.Phase.TRANSITION
    (age_17,) = [m for m in shown.timeline if m.milestone == vocabulary.TransitionMilestone.AGE_17]
    assert (age_17.due_on, age_17.reached_on) == (
        timeline.birthday(date_of_birth=born, age=17),
        settled_on,
    )


async def test_the_system_flag_reads_milestone_dates_of_every_tenant_and_nothing_else(
    app_sessionmaker,
    system_sessionmaker,
):
    # given a child in a tenant of its own
    tenant = fresh_tenant()
    child_id = await settle(app_sessionmaker, tenant=tenant)

    # when a system transaction (as the scheduler's first step) looks
    async with system_transaction(system_sessionmaker) as session:
        milestones = await session.scalar(
            text("select count(*) from transition.milestones where child_id = :c"),
            {"c": child_id},
        )
        others = [
            await session.scalar(text(f"select count(*) from transition.{table}"))
            for table in ("children", "transitions", "outcomes", "plan_goals")
        ]
        updated = (
            await session.execute(
                text(
                    "update transition.milestones set reached_on = due_on"
                    " where child_id = :c returning milestone"
                ),
                {"c": child_id},
            )
        ).all()

    # then it sees the dates, no other table, and cannot write
    assert milestones == 8
    assert others == [0, 0, 0, 0]
    assert updated == []
