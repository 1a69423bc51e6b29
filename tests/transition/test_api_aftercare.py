"""Deciding aftercare: refused before 18, announced with the renewal date when declined."""

from __future__ import annotations

from datetime import date

import pytest

from havn.auth import Role
from havn.db import scoped_transaction
from havn.errors import InvalidInput
from havn.vocabulary import AftercareStatus
from services.transition.schemas import AftercareDecisionIn, present_transition
from services.transition.service import aftercare
from tests.factories import fresh_tenant
from tests.transition.support import (
    CHILD_BORN,
    CHILD_SETTLED,
    caller,
    clock_on,
    published,
    settle,
    written,
)


async def test_an_aftercare_decision_before_18_is_refused_and_nothing_is_written(
    app_sessionmaker,
):
    # given a child turning 18 on 2026-03-10
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when
    with pytest.raises(InvalidInput) as refused:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await aftercare.decide_aftercare(
                session,
                principal=caller(Role.CASEWORKER, tenant),
                child_id=child_id,
                body=AftercareDecisionIn(
                    status=AftercareStatus.OFFERED, decided_on=date(2026, 3, 9)
                ),
                clock=clock_on(date(2026, 3, 9)),
            )

    # then
    assert (refused.value.code, refused.value.field) == ("BAD_USER_INPUT", "decided_on")
    state = await written(app_sessionmaker, child_id, tenant)
    assert (state["decision"], state["decisions"], state["writes"], state["events"]) == (
        None,
        0,
        [],
        [],
    )


async def test_an_aftercare_decision_is_announced_with_the_renewal_date_when_declined(
    app_sessionmaker,
):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        transition = await aftercare.decide_aftercare(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=child_id,
            body=AftercareDecisionIn(status=AftercareStatus.DECLINED, decided_on=date(2026, 3, 20)),
            clock=clock_on(date(2026, 3, 25)),
        )
        shown = present_transition(transition, date(2026, 3, 25))

    # then
    assert shown.aftercare.status == AftercareStatus.DECLINED
    assert (shown.aftercare.next_offer_on, shown.aftercare.due_on) == (
        date(2027, 3, 20),
        date(2027, 3, 20),
    )
    assert shown.aftercare.overdue is False
    assert shown.phase == "TRANSITION"
    (event,) = await published(
        app_sessionmaker, child_id, tenant=tenant, event_type="transition.aftercare.decided"
    )
    assert (event["status"], event["next_offer_on"], event["aftercare_ends_on"]) == (
        "DECLINED",
        "2027-03-20",
        "2033-03-10",
    )
