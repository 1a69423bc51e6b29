"""A child's education: recorded by a caseworker, read by the contact person."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.http import ChildIdsIn
from havn.vocabulary import NorwegianLevel
from services.care.schemas import EducationIn
from services.care.service import education
from tests.care.routes_support import CASEWORKER, CLOCK, CONTACT, assigned_child, call, reads_logged

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


async def test_education_is_recorded_by_a_caseworker_and_read_by_the_contact_person(
    app_sessionmaker,
):
    # given
    own = await assigned_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.EDUCATION_RECORD,
        education.record_education,
        principal=CASEWORKER,
        child_id=own,
        body=EducationIn(
            school="Nygård skole",
            class_level="8 (introduction class)",
            norwegian_level=NorwegianLevel.A1,
            started_on=CLOCK.today(),
        ),
    )

    # when
    answer = await call(
        app_sessionmaker,
        permissions.care.DETAILS_READ,
        education.read_education,
        principal=CONTACT,
        body=ChildIdsIn(child_ids=[own]),
    )

    # then
    (recorded,) = answer
    assert (recorded.school, recorded.norwegian_level) == ("Nygård skole", NorwegianLevel.A1)
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == [
        ("personal", "education.read")
    ]
