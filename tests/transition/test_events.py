"""Transition's consumers against PostgreSQL: a corrected date of birth, a relocation."""

from __future__ import annotations

import uuid
from datetime import date

from havn.db import scoped_transaction
from havn.events.contracts import ChildRelocatedV1, ChildUpdatedV1, Contract
from havn.events.envelope import Envelope
from havn.reach import EVERY_CHILD
from services.transition import repository
from services.transition.events import follow_corrected_date_of_birth, move_relocated_child
from tests.factories import fresh_tenant
from tests.transition.support import Sessionmaker, settle, transition_as_shown


def envelope_of(data: Contract, tenant: str) -> Envelope:
    return Envelope(
        type=data.event_type,
        version=data.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=data.model_dump(mode="json"),
    )


def child_updated(child_id: uuid.UUID, born: date, tenant: str) -> Envelope:
    return envelope_of(
        ChildUpdatedV1(
            child_id=child_id,
            first_name="Amina",
            full_name="Amina Rahimi",
            date_of_birth=born,
            date_of_birth_estimated=False,
            sex="F",
            nationality="AF",
            languages=["prs"],
            care_arrangement="GROUP_HOME",
        ),
        tenant,
    )


async def deliver(sessionmaker: Sessionmaker, handler, envelope: Envelope) -> None:
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await handler(session, envelope)


async def test_a_corrected_date_of_birth_moves_the_plan_and_the_age_milestones(app_sessionmaker):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker,
        tenant=tenant,
        date_of_birth=date(2010, 5, 17),
        settled_on=date(2026, 11, 2),
    )

    # when intake corrects the date of birth by half a year
    await deliver(
        app_sessionmaker,
        follow_corrected_date_of_birth,
        child_updated(child_id, date(2010, 11, 17), tenant),
    )

    # then
    shown = await transition_as_shown(
        app_sessionmaker, child_id, tenant=tenant, today=date(2027, 1, 1)
    )
    due = {m.milestone.value: m.due_on for m in shown.timeline}
    assert shown.plan_opens_on == date(2027, 11, 17)
    assert shown.turns_18_on == date(2028, 11, 17)
    assert (due["AGE_17"], due["AGE_18"], due["AGE_20"], due["AGE_25"]) == (
        date(2027, 11, 17),
        date(2028, 11, 17),
        date(2030, 11, 17),
        date(2035, 11, 17),
    )
    assert due["OUTCOME_1_YEAR"] == date(2027, 11, 2)
    assert shown.aftercare.due_on == date(2028, 11, 17)


async def test_an_update_of_a_child_not_settled_here_changes_nothing(app_sessionmaker):
    # given a child in one tenant
    tenant, other = fresh_tenant(), fresh_tenant()
    child_id = await settle(app_sessionmaker, tenant=tenant)

    # when another tenant's update names it
    await deliver(
        app_sessionmaker,
        follow_corrected_date_of_birth,
        child_updated(child_id, date(2011, 1, 1), other),
    )

    # then
    shown = await transition_as_shown(
        app_sessionmaker, child_id, tenant=tenant, today=date(2027, 1, 1)
    )
    assert shown.plan_opens_on == date(2027, 5, 17)


async def test_a_relocated_child_takes_its_transition_and_timeline_to_the_new_municipality(
    app_sessionmaker,
):
    # given
    old, new = fresh_tenant(), fresh_tenant()
    child_id = await settle(app_sessionmaker, tenant=old)

    # when
    await deliver(
        app_sessionmaker,
        move_relocated_child,
        envelope_of(
            ChildRelocatedV1(
                child_id=child_id,
                from_tenant=old,
                to_tenant=new,
                relocated_on=date(2027, 1, 1),
            ),
            old,
        ),
    )

    # then
    async with scoped_transaction(app_sessionmaker, tenant=old) as session:
        assert (
            list(await repository.transitions_by_child_ids(session, [child_id], reach=EVERY_CHILD))
            == []
        )
    shown = await transition_as_shown(
        app_sessionmaker, child_id, tenant=new, today=date(2027, 1, 1)
    )
    assert shown.plan_opens_on == date(2027, 5, 17)
    assert len(shown.timeline) == 8
