"""Community's enrolments and attendance: consent, open offers, and only the partner's own."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, InvalidInput, NotFound
from services.community.models import AccessGrant, Attendance, Enrolment
from services.community.schemas.attendance import AttendanceIn
from services.community.schemas.enrolments import EnrolIn
from services.community.service import attendance, enrolments
from tests.community.support import (
    count,
    enrol_child,
    enrolled_child,
    partner_user,
    partner_with_offer,
    settled_child,
    staff,
)
from tests.factories import BERGEN


async def test_an_enrolment_without_consent_writes_nothing(app_sessionmaker):
    # given
    clock = Clock()
    child_id = await settled_child(app_sessionmaker)
    _, offer_id = await partner_with_offer(app_sessionmaker, clock)

    # when
    with pytest.raises(InvalidInput) as refused:
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await enrolments.enrol(
                session,
                principal=staff(),
                body=EnrolIn(child_id=child_id, offer_id=offer_id, consent_given=False),
                today=clock.today(),
                now=clock.now(),
            )

    # then
    assert refused.value.field == "consent_given"
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0
    assert await count(app_sessionmaker, AccessGrant, AccessGrant.child_id == child_id) == 0


async def test_an_unknown_offer_is_bad_input_and_a_full_one_a_conflict(app_sessionmaker):
    # given an offer with one place, taken
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock, capacity=1)
    child_id = await settled_child(app_sessionmaker)

    # when / then
    with pytest.raises(InvalidInput) as unknown:
        await enrol_child(app_sessionmaker, clock, child_id, uuid.uuid4())
    assert unknown.value.field == "offer_id"
    with pytest.raises(Conflict, match="full"):
        await enrol_child(app_sessionmaker, clock, child_id, enrolled.offer_id)
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0


async def test_an_offer_whose_agreement_expired_takes_no_enrolment(app_sessionmaker):
    # given an offer under an agreement ending today
    clock = Clock()
    _, offer_id = await partner_with_offer(app_sessionmaker, clock, valid_to=clock.today())
    child_id = await settled_child(app_sessionmaker)

    # when tomorrow comes
    tomorrow = Clock(clock.offset + timedelta(days=1))

    # then
    with pytest.raises(Conflict, match="no active agreement"):
        await enrol_child(app_sessionmaker, tomorrow, child_id, offer_id)
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0


async def test_a_partner_cannot_record_another_partners_attendance(app_sessionmaker):
    # given an enrolment in another partner's offer
    clock = Clock()
    theirs = await enrolled_child(app_sessionmaker, clock)
    ours = await enrolled_child(app_sessionmaker, clock)

    # when our partner tries to keep their register
    with pytest.raises(NotFound):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await attendance.record_attendance(
                session,
                principal=partner_user(ours.slug),
                enrolment_id=theirs.enrolment_id,
                body=AttendanceIn(on=clock.today(), present=True),
                today=clock.today(),
                now=clock.now(),
            )

    # then nothing is written
    assert (
        await count(app_sessionmaker, Attendance, Attendance.enrolment_id == theirs.enrolment_id)
        == 0
    )


async def test_a_partner_records_attendance_in_its_own_offer_once_a_day(app_sessionmaker):
    # given
    clock = Clock()
    ours = await enrolled_child(app_sessionmaker, clock)
    day = AttendanceIn(on=clock.today(), present=True)

    async def record() -> Attendance:
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            return await attendance.record_attendance(
                session,
                principal=partner_user(ours.slug),
                enrolment_id=ours.enrolment_id,
                body=day,
                today=clock.today(),
                now=clock.now(),
            )

    # when
    row = await record()

    # then
    assert (row.present, row.recorded_org) == (True, ours.slug)
    with pytest.raises(Conflict, match="already recorded"):
        await record()
