"""Who reads a child's transition (and is logged), who may change it, and who sees its phase."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from havn.audit import access_log
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Forbidden, NotFound
from havn.reach import follow_assignment
from havn.vocabulary import OutcomeStatus
from services.transition.api.outcomes import record_outcome as record_outcome_route
from services.transition.events import open_transition_for_settled_child
from services.transition.models import ContactAssignment
from services.transition.schemas import (
    OutcomeIn,
    TransitionSummaryOut,
    present_phase,
    present_summary,
)
from services.transition.service import outcomes, transitions
from tests.factories import BERGEN, child_settled, fresh_tenant
from tests.routes import routed
from tests.transition.support import CHILD_BORN, CHILD_SETTLED, caller, clock_on, settle


async def settled_child(sessionmaker) -> uuid.UUID:
    envelope = child_settled(date_of_birth=date(2010, 5, 17))
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        await open_transition_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def logged_classes(sessionmaker, child_id: uuid.UUID) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation).where(
                access_log.c.child_id == child_id
            )
        )
        return [(row.data_class, row.operation) for row in rows]


async def whole_records(
    session, principal, child_ids: list[uuid.UUID], today: date
) -> list[TransitionSummaryOut]:
    found = await transitions.transitions_by_child_ids(
        session, principal=principal, child_ids=child_ids
    )
    return [present_summary(transition, transition.child, today) for transition in found]


async def summaries(
    session, principal, child_ids: list[uuid.UUID], today: date
) -> list[TransitionSummaryOut]:
    found = await transitions.transition_summaries_by_child_ids(
        session, principal=principal, child_ids=child_ids
    )
    return [present_summary(transition, child, today) for child, transition in found]


# The whole record and the caseload's summary: the same readers, the same log.
READS = [whole_records, summaries]


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("role", [Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER])
async def test_coordinators_and_caseworkers_see_the_transition_and_the_read_is_logged(
    app_sessionmaker, role, read
):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await read(session, caller(role), [child_id, uuid.uuid4()], Clock().today())

    # then
    (item,) = answer
    assert (item.child_id, item.plan_opens_on, item.turns_18_on, item.aftercare_decision) == (
        child_id,
        date(2027, 5, 17),
        date(2028, 5, 17),
        None,
    )
    assert await logged_classes(app_sessionmaker, child_id) == [("personal", "transition.read")]


@pytest.mark.parametrize(
    "role",
    [
        Role.CONTACT_PERSON,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
        Role.PARTNER,
        Role.DIRECTORATE_ANALYST,
    ],
)
@pytest.mark.parametrize("read", READS)
async def test_other_roles_get_no_transition_and_nothing_is_logged(app_sessionmaker, role, read):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await read(session, caller(role), [child_id], Clock().today())

    # then
    assert answer == []
    assert await logged_classes(app_sessionmaker, child_id) == []


@pytest.mark.parametrize(
    "role", [Role.SETTLEMENT_COORDINATOR, Role.CONTACT_PERSON, Role.MUNICIPALITY_ADMIN]
)
async def test_only_caseworkers_change_a_transition(app_sessionmaker, role):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when / then
    with pytest.raises(Forbidden):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            await routed(record_outcome_route)(
                child_id,
                OutcomeIn(milestone_years=1, status=OutcomeStatus.WORK),
                caller(role, tenant),
                session,
                clock_on(date(2025, 6, 1)),
            )


async def test_another_municipality_cannot_write_a_childs_transition(app_sessionmaker):
    # given a child in one test tenant
    child_id = await settle(
        app_sessionmaker, tenant=fresh_tenant(), date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )
    other = fresh_tenant()

    # when / then a caseworker of another finds no such child
    with pytest.raises(NotFound):
        async with scoped_transaction(app_sessionmaker, tenant=other) as session:
            await outcomes.record_outcome(
                session,
                principal=caller(Role.CASEWORKER, other),
                child_id=child_id,
                body=OutcomeIn(milestone_years=1, status=OutcomeStatus.WORK),
                today=date(2025, 6, 1),
            )


async def test_every_municipal_role_sees_the_phase_a_contact_person_of_their_own_children_only(
    app_sessionmaker,
):
    # given two children of 17, one of them assigned to the contact person
    tenant = fresh_tenant()
    child_id, other_id = [
        await settle(
            app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
        )
        for _ in range(2)
    ]
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await follow_assignment(
            session,
            ContactAssignment,
            child_id=child_id,
            tenant_id=tenant,
            username=caller(Role.CONTACT_PERSON, tenant).username,
            on=date(2025, 1, 1),
        )
    today = date(2025, 6, 1)

    # when
    answers = {}
    for role in (Role.VOLUNTEER_COORDINATOR, Role.CONTACT_PERSON, Role.PARTNER):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            found = await transitions.phases_by_child_ids(
                session, principal=caller(role, tenant), child_ids=[child_id, other_id]
            )
        shown = [present_phase(child, transition, today) for child, transition in found]
        answers[role] = sorted((item.child_id, item.phase) for item in shown)

    # then
    assert answers[Role.VOLUNTEER_COORDINATOR] == sorted(
        [(child_id, "TRANSITION"), (other_id, "TRANSITION")]
    )
    assert answers[Role.CONTACT_PERSON] == [(child_id, "TRANSITION")]
    assert answers[Role.PARTNER] == []
