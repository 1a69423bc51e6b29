"""The caseload through care's use cases: its filters and counts, and who has none."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from havn import permissions
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Forbidden
from havn.vocabulary import CaseloadFilter
from services.care import policy
from services.care.schemas import ContactPersonIn
from services.care.service import care_plans, caseload, contact_persons
from tests.care.routes_support import CLOCK, Sessionmaker, call, person, plan_input, settled_child
from tests.factories import fresh_tenant


async def caseload_of(
    sessionmaker: Sessionmaker, principal: Principal, filter: CaseloadFilter, clock: Clock = CLOCK
) -> tuple[set[uuid.UUID], Any]:
    """Every child id of one filter, paged through, and the counts."""
    ids: set[uuid.UUID] = set()
    after = None
    while True:
        page, counts = await call(
            sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            caseload.read_caseload,
            principal=principal,
            filter=filter,
            first=200,
            after=after,
            today=clock.today(),
        )
        ids |= {record.child.id for record in page.items}
        if not page.has_next_page:
            return ids, counts
        after = page.end_cursor


async def test_the_caseload_filters_and_counts_the_backlog(app_sessionmaker):
    # given, in a tenant of the test's own, three children: one assigned to the contact
    # person, one with an approved plan, one with neither
    tenant = fresh_tenant()
    caseworker = person(Role.CASEWORKER, f"{tenant}-caseworker", tenant)
    contact = person(Role.CONTACT_PERSON, f"{tenant}-contact", tenant)
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await policy.note_staff_member(contact, session)  # has used Havn, so can be assigned
    assigned, approved, plain = [await settled_child(app_sessionmaker, tenant) for _ in range(3)]
    await call(
        app_sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.assign_contact_person,
        principal=caseworker,
        child_id=assigned,
        body=ContactPersonIn(username=contact.username),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=caseworker,
        child_id=approved,
        body=plan_input(),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=caseworker,
        child_id=approved,
        clock=CLOCK,
    )

    # when
    found = {f: (await caseload_of(app_sessionmaker, caseworker, f))[0] for f in CaseloadFilter}
    _, counts = await caseload_of(app_sessionmaker, caseworker, CaseloadFilter.ALL)
    contacts_own, contacts_counts = await caseload_of(app_sessionmaker, contact, CaseloadFilter.ALL)
    overdue_later, _ = await caseload_of(
        app_sessionmaker, contact, CaseloadFilter.OVERDUE_ASSESSMENT, Clock(timedelta(days=15))
    )

    # then each child is where it belongs
    assert found == {
        CaseloadFilter.ALL: {assigned, approved, plain},
        CaseloadFilter.MINE: set(),
        CaseloadFilter.NO_CONTACT_PERSON: {approved, plain},
        CaseloadFilter.CARE_PLAN_NOT_APPROVED: {assigned, plain},
        CaseloadFilter.OVERDUE_ASSESSMENT: set(),
    }
    assert contacts_own == overdue_later == {assigned}
    # and the counts with them
    assert (counts.all, counts.no_contact_person, counts.care_plan_not_approved) == (3, 2, 2)
    assert (contacts_counts.all, contacts_counts.mine) == (1, 1)


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER_COORDINATOR, Role.MUNICIPALITY_ADMIN, Role.PARTNER]
)
async def test_roles_outside_care_have_no_caseload(app_sessionmaker, role):
    # when / then
    with pytest.raises(Forbidden):
        await caseload_of(app_sessionmaker, person(role, "someone"), CaseloadFilter.ALL)
