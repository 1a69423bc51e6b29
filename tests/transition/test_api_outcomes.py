"""Recording a transition's outcomes: announced and logged, or refused with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from havn.auth import Role
from havn.db import scoped_transaction
from havn.errors import InvalidInput
from havn.vocabulary import OutcomeStatus
from services.transition.schemas import OutcomeIn
from services.transition.service import outcomes
from tests.factories import fresh_tenant
from tests.transition.support import (
    CHILD_BORN,
    CHILD_SETTLED,
    caller,
    clock_on,
    published,
    settle,
    transition_as_shown,
    written,
)


async def test_a_caseworker_records_an_outcome_which_is_announced_and_logged(app_sessionmaker):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )
    clock = clock_on(date(2025, 1, 20))

    # when
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        outcome = await outcomes.record_outcome(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=child_id,
            body=OutcomeIn(milestone_years=1, status=OutcomeStatus.INTRODUCTION_PROGRAMME),
            today=clock.today(),
        )

    # then
    assert (outcome.milestone_years, outcome.status, outcome.recorded_on) == (
        1,
        OutcomeStatus.INTRODUCTION_PROGRAMME,
        date(2025, 1, 20),
    )
    (event,) = await published(
        app_sessionmaker, child_id, tenant=tenant, event_type="transition.outcome.recorded"
    )
    assert (event["milestone_years"], event["status"], event["settled_on"]) == (
        1,
        "INTRODUCTION_PROGRAMME",
        "2024-01-15",
    )
    shown = await transition_as_shown(
        app_sessionmaker, child_id, tenant=tenant, today=date(2026, 2, 1)
    )
    assert [(o.milestone_years, o.status) for o in shown.outcomes] == [
        (1, "INTRODUCTION_PROGRAMME")
    ]
    assert [(d.milestone_years, d.due_on) for d in shown.outcomes_due] == [(2, date(2026, 1, 15))]
    assert (await written(app_sessionmaker, child_id, tenant))["writes"] == ["transition.outcome"]


@pytest.mark.parametrize(
    ("years", "today"),
    [(3, date(2030, 1, 1)), (1, date(2025, 1, 14))],
    ids=["not-a-milestone-year", "before-the-milestone-date"],
)
async def test_a_bad_outcome_is_refused_and_nothing_is_written(app_sessionmaker, years, today):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when
    with pytest.raises(InvalidInput) as refused:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await outcomes.record_outcome(
                session,
                principal=caller(Role.CASEWORKER, tenant),
                child_id=child_id,
                body=OutcomeIn(milestone_years=years, status=OutcomeStatus.WORK),
                today=today,
            )

    # then
    assert (refused.value.code, refused.value.field) == ("BAD_USER_INPUT", "milestone_years")
    state = await written(app_sessionmaker, child_id, tenant)
    assert (state["outcomes"], state["writes"], state["events"]) == (0, [], [])
