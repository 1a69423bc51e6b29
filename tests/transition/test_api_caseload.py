"""The transition caseload: its filters and its cursor pages."""

from __future__ import annotations

import uuid
from datetime import date

from havn.auth import Role
from havn.db import scoped_transaction
from havn.vocabulary import AftercareStatus, TransitionCaseloadFilter
from services.transition.schemas import AftercareDecisionIn, present_case
from services.transition.service import aftercare, transitions
from tests.factories import fresh_tenant
from tests.transition.support import caller, clock_on, settle


async def caseload(
    tenant: str, case_filter, today: date, sessionmaker, first: int = 50, after=None
):
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        page = await transitions.list_transitions(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            case_filter=case_filter,
            today=today,
            first=first,
            after=after,
        )
    return page.map(lambda item: present_case(item[0], item[1], today))


async def test_the_caseload_filters_pick_the_children_that_need_attention(app_sessionmaker):
    # given, on 2026-01-01, in a tenant of its own:
    tenant = fresh_tenant()
    today = date(2026, 1, 1)

    async def child(born: date, settled_on: date = date(2025, 6, 1)) -> uuid.UUID:
        return await settle(
            app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=settled_on
        )

    turning_18_soon = await child(date(2008, 3, 1))  # 18 on 2026-03-01: within 90 days
    turning_18_later = await child(date(2008, 6, 1))  # 18 on 2026-06-01
    undecided_adult = await child(date(2007, 10, 1))  # 18 on 2025-10-01, no decision
    accepted_adult = await child(date(2007, 10, 2))
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await aftercare.decide_aftercare(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=accepted_adult,
            body=AftercareDecisionIn(status=AftercareStatus.ACCEPTED, decided_on=date(2025, 10, 2)),
            clock=clock_on(today),
        )
    outcome_due = await child(date(2009, 1, 1), settled_on=date(2024, 12, 1))

    # when
    found = {
        case_filter: [
            item.transition.child_id
            for item in (await caseload(tenant, case_filter, today, app_sessionmaker)).items
        ]
        for case_filter in TransitionCaseloadFilter
    }

    # then
    assert found[TransitionCaseloadFilter.TURNING_18_WITHIN_90_DAYS] == [turning_18_soon]
    assert found[TransitionCaseloadFilter.AFTERCARE_DECISION_OVERDUE] == [undecided_adult]
    assert found[TransitionCaseloadFilter.OUTCOME_DUE] == [outcome_due]
    assert all(turning_18_later not in children for children in found.values())


async def test_the_caseload_pages_with_cursors(app_sessionmaker):
    # given three children turning 18 soon
    tenant = fresh_tenant()
    today = date(2026, 1, 1)
    children = [
        await settle(
            app_sessionmaker, tenant=tenant, date_of_birth=born, settled_on=date(2025, 6, 1)
        )
        for born in (date(2008, 1, 10), date(2008, 1, 20), date(2008, 1, 30))
    ]
    soon = TransitionCaseloadFilter.TURNING_18_WITHIN_90_DAYS

    # when
    first = await caseload(tenant, soon, today, app_sessionmaker, first=2)
    rest = await caseload(tenant, soon, today, app_sessionmaker, first=2, after=first.end_cursor)

    # then
    assert [i.transition.child_id for i in first.items] == children[:2]
    assert [i.transition.child_id for i in rest.items] == children[2:]
    assert (first.has_next_page, rest.has_next_page, first.total_count) == (True, False, 3)
    assert [i.key_on for i in first.items] == [date(2026, 1, 10), date(2026, 1, 20)]
