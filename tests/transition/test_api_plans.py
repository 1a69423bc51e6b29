"""Writing a transition plan: a plan with an unknown domain is refused and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from havn.auth import Role
from havn.db import scoped_transaction
from havn.errors import InvalidInput
from services.transition.schemas import GoalIn, PlanIn
from services.transition.service import plans
from tests.factories import fresh_tenant
from tests.transition.support import (
    CHILD_BORN,
    CHILD_SETTLED,
    caller,
    clock_on,
    settle,
    transition_as_shown,
    written,
)


async def test_a_plan_with_an_unknown_domain_is_refused_and_nothing_is_written(app_sessionmaker):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )
    caseworker = caller(Role.CASEWORKER, tenant)
    clock = clock_on(date(2025, 6, 1))
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await plans.write_plan(
            session,
            principal=caseworker,
            child_id=child_id,
            body=PlanIn(
                goals=[GoalIn(domain="EDUCATION", description="Finish upper secondary")],
                youths_own_words="I want to be a nurse",
            ),
            today=clock.today(),
        )

    # when
    with pytest.raises(InvalidInput) as refused:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await plans.write_plan(
                session,
                principal=caseworker,
                child_id=child_id,
                body=PlanIn(
                    goals=[
                        GoalIn(domain="HEALTH", description="Own GP"),
                        GoalIn(domain="HOBBIES", description="Football"),
                    ],
                    youths_own_words="changed",
                ),
                today=clock.today(),
            )

    # then the first plan stands as it was
    assert refused.value.field == "goals[1].domain"
    shown = await transition_as_shown(
        app_sessionmaker, child_id, tenant=tenant, today=date(2025, 6, 1)
    )
    assert [(g.domain, g.description, g.status) for g in shown.plan.goals] == [
        ("EDUCATION", "Finish upper secondary", "NOT_STARTED")
    ]
    assert shown.plan.youths_own_words == "I want to be a nurse"
    assert (await written(app_sessionmaker, child_id, tenant))["writes"] == ["transition.plan"]
