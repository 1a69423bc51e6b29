"""Transition's use cases called with a caller and a tenant-bound transaction."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from havn.audit import access_log
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Forbidden, InvalidInput, NotFound
from havn.reach import EVERY_CHILD, follow_assignment
from havn.vocabulary import AftercareStatus, HousingType, OutcomeStatus, TransitionCaseloadFilter
from services.transition import repository
from services.transition.api.outcomes import record_outcome as record_outcome_route
from services.transition.events import open_transition_for_settled_child
from services.transition.models import ContactAssignment
from services.transition.schemas import (
    AftercareDecisionIn,
    GoalIn,
    HousingIn,
    OutcomeIn,
    PlanIn,
    TransitionSummaryOut,
    present_case,
    present_phase,
    present_summary,
    present_transition,
)
from services.transition.service import aftercare, housing, outcomes, plans, transitions
from tests.factories import BERGEN, child_settled, fresh_tenant
from tests.routes import routed
from tests.transition.support import caller, clock_on, published, settle, transition_as_shown


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


# --- writes, bad input, the caseload and phases ------------------------------------------

CHILD_BORN = date(2008, 3, 10)
CHILD_SETTLED = date(2024, 1, 15)


async def written(sessionmaker, child_id: uuid.UUID, tenant: str) -> dict[str, object]:
    """What a failed write must not have touched: the record, its events and its log."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        (transition,) = await repository.transitions_by_child_ids(
            session, [child_id], reach=EVERY_CHILD
        )
        writes = (
            await session.scalars(
                select(access_log.c.operation).where(
                    access_log.c.child_id == child_id, access_log.c.action == "write"
                )
            )
        ).all()
    outbox_events = []
    for event_type in (
        "transition.aftercare.decided",
        "transition.outcome.recorded",
    ):
        outbox_events += await published(
            sessionmaker, child_id, tenant=tenant, event_type=event_type
        )
    return {
        "decision": transition.aftercare_decision,
        "decisions": len(transition.decisions),
        "outcomes": len(transition.outcomes),
        "goals": len(transition.goals),
        "words": transition.youths_own_words,
        "writes": list(writes),
        "events": outbox_events,
    }


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


async def test_housing_is_recorded_with_its_flags(app_sessionmaker):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        transition = await housing.record_housing(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=child_id,
            body=HousingIn(type=HousingType.OWN_FLAT, start_loan=True, housing_allowance=False),
            today=date(2026, 4, 1),
        )
        shown = present_transition(transition, date(2026, 4, 1))

    # then
    assert shown.housing is not None
    assert (shown.housing.type, shown.housing.start_loan, shown.housing.housing_allowance) == (
        HousingType.OWN_FLAT,
        True,
        False,
    )


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
