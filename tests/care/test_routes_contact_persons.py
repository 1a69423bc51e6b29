"""Assigning a contact person, and what a contact person and a coordinator reach of care."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.errors import Forbidden, NotFound
from havn.http import ChildIdsIn
from services.care import schemas
from services.care.schemas import CareBatchIn, ContactPersonIn
from services.care.service import care_records, contact_persons, health
from tests.care.routes_support import (
    ADMIN,
    CASEWORKER,
    CLOCK,
    CONTACT,
    COORDINATOR,
    assigned_child,
    call,
    published,
    reads_logged,
    settled_child,
    writes_logged,
)
from tests.factories import ASKER

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


# --- contact person -----------------------------------------------------------------------


async def test_assigning_a_contact_person_publishes_it_with_whom_it_replaces(app_sessionmaker):
    # given a child with a contact person
    child_id = await assigned_child(app_sessionmaker, "bergen-contact")

    # when the caseworker assigns another, then none
    summary = schemas.present_summary(
        await call(
            app_sessionmaker,
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=CASEWORKER,
            child_id=child_id,
            body=ContactPersonIn(username="bergen-contact-2", replace=True),
            today=CLOCK.today(),
        ),
        CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.unassign_contact_person,
        principal=CASEWORKER,
        child_id=child_id,
    )

    # then each change is an event, in order, and an access-log write
    assert summary.contact_person == "bergen-contact-2"
    assert [
        (kind, data.get("username"), data.get("previous_username"))
        for kind, data in await published(app_sessionmaker, child_id)
    ] == [
        ("care.contactperson.assigned", "bergen-contact", None),
        ("care.contactperson.assigned", "bergen-contact-2", "bergen-contact"),
        ("care.contactperson.unassigned", "bergen-contact-2", None),
    ]
    assert await writes_logged(app_sessionmaker, child_id) == [
        ("personal", "contact-person.assign"),
        ("personal", "contact-person.assign"),
        ("personal", "contact-person.unassign"),
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR, ADMIN])
async def test_only_a_caseworker_assigns_a_contact_person(app_sessionmaker, principal):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=principal,
            child_id=child_id,
            body=ContactPersonIn(username=principal.username),
            today=CLOCK.today(),
        )

    # then
    assert await published(app_sessionmaker, child_id) == []


async def test_a_child_of_another_municipality_is_not_found(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker, tenant=ASKER)

    # when / then
    with pytest.raises(NotFound):
        await call(
            app_sessionmaker,
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=CASEWORKER,
            child_id=child_id,
            body=ContactPersonIn(username="bergen-contact"),
            today=CLOCK.today(),
        )


# --- what a contact person reaches --------------------------------------------------------


async def test_a_contact_person_sees_the_care_of_their_own_children_only(app_sessionmaker):
    # given one child assigned to the contact person, one not
    own = await assigned_child(app_sessionmaker)
    other = await settled_child(app_sessionmaker)

    # when
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=CONTACT,
            body=CareBatchIn(child_ids=[own, other]),
        ),
        CLOCK.today(),
    )

    # then the own child comes whole (the contact person is shown), the other not at all
    (item,) = answer.items
    assert (item.child_id, item.contact_person, item.assessments) == (own, "bergen-contact", [])
    assert await reads_logged(app_sessionmaker, other, "bergen-contact") == []
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == [
        ("personal", "care.read"),
        ("confidential", "care.read"),
    ]


async def test_a_contact_person_is_refused_health_even_of_their_own_child(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.HEALTH_READ,
            health.read_health,
            principal=CONTACT,
            body=ChildIdsIn(child_ids=[own]),
        )
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == []


async def test_a_coordinator_sees_the_plans_status_but_no_contact_person(app_sessionmaker):
    # given
    child_id = await assigned_child(app_sessionmaker)

    # when
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=COORDINATOR,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
    )

    # then
    (item,) = answer.items
    assert (item.care_plan_status, item.contact_person, item.assessments) == ("DRAFT", None, None)
    assert item.care_plan is not None and item.care_plan.goals == []
