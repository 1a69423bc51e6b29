"""A child's health through care's use cases: who records and reads it, logged as sensitive."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.errors import Forbidden
from havn.http import ChildIdsIn
from services.care import schemas
from services.care.schemas import GeneralPractitionerIn, ScreeningIn
from services.care.service import health
from tests.care.routes_support import (
    CASEWORKER,
    CLOCK,
    CONTACT,
    COORDINATOR,
    assigned_child,
    call,
    reads_logged,
    settled_child,
    writes_logged,
)

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


async def test_health_is_written_and_read_by_caseworkers_and_logged_as_sensitive(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.HEALTH_RECORD,
        health.set_general_practitioner,
        principal=CASEWORKER,
        child_id=child_id,
        body=GeneralPractitionerIn(name="Dr. Berg", practice="Nygård legesenter"),
    )
    await call(
        app_sessionmaker,
        permissions.care.HEALTH_RECORD,
        health.record_screening,
        principal=CASEWORKER,
        child_id=child_id,
        body=ScreeningIn(kind="Tuberculosis", screened_on=CLOCK.today()),
        today=CLOCK.today(),
    )

    # when
    answer = schemas.present_health_of_children(
        await call(
            app_sessionmaker,
            permissions.care.HEALTH_READ,
            health.read_health,
            principal=CASEWORKER,
            body=ChildIdsIn(child_ids=[child_id]),
        )
    )

    # then
    (found,) = answer.items
    assert (
        found.general_practitioner is not None and found.general_practitioner.gp_name == "Dr. Berg"
    )
    assert [s.kind for s in found.screenings] == ["Tuberculosis"]
    assert await writes_logged(app_sessionmaker, child_id) == [
        ("sensitive", "health.gp"),
        ("sensitive", "health.screening"),
    ]
    assert await reads_logged(app_sessionmaker, child_id, "bergen-caseworker") == [
        ("sensitive", "health.read")
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR])
async def test_no_one_but_a_caseworker_records_health(app_sessionmaker, principal):
    # given
    child_id = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.HEALTH_RECORD,
            health.set_general_practitioner,
            principal=principal,
            child_id=child_id,
            body=GeneralPractitionerIn(name="Dr. Berg"),
        )
