"""Meetings through care's use cases: who records them, and their interpreter."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.errors import InvalidInput
from services.care.schemas import ChildPagesIn, InterpreterIn, MeetingIn
from services.care.service import meetings
from tests.care.routes_support import (
    CASEWORKER,
    CLOCK,
    CONTACT,
    assigned_child,
    call,
    settled_child,
    writes_logged,
)

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


async def test_naming_a_child_of_the_municipality_as_interpreter_is_refused(app_sessionmaker):
    # given a child, and another child of Bergen called Amina Rahimi (the factory's name)
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.MEETING_RECORD,
            meetings.record_meeting,
            principal=CASEWORKER,
            child_id=child_id,
            body=MeetingIn(
                held_on=CLOCK.today(),
                purpose="Review",
                language="prs",
                interpreter=InterpreterIn(name="AMINA RAHIMI", qualified=False),
            ),
        )

    # then
    assert refused.value.field == "interpreter.name"
    assert await writes_logged(app_sessionmaker, child_id) == []


async def test_a_contact_person_records_a_meeting_flagged_when_no_interpreter_is_booked(
    app_sessionmaker,
):
    # given a child who speaks no Norwegian, assigned to the contact person
    own = await assigned_child(app_sessionmaker)

    # when
    meeting = await call(
        app_sessionmaker,
        permissions.care.MEETING_RECORD,
        meetings.record_meeting,
        principal=CONTACT,
        child_id=own,
        body=MeetingIn(held_on=CLOCK.today(), purpose="Weekly talk", language="nb"),
    )

    # then
    assert meeting.interpreter_missing is True
    pages = await call(
        app_sessionmaker,
        permissions.care.DETAILS_READ,
        meetings.read_meetings,
        principal=CONTACT,
        body=ChildPagesIn(child_ids=[own]),
    )
    assert [m.purpose for m in pages[own].items] == ["Weekly talk"]
