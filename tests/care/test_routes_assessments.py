"""Assessments through care's use cases: scores, when one is due again, and its interval."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.auth import Role
from havn.errors import Forbidden, InvalidInput
from services.care import schemas
from services.care.models import Assessment
from services.care.schemas import AssessmentIn, AssessmentScheduleIn, CareBatchIn, DomainScoreIn
from services.care.service import assessments, care_records
from tests.care.routes_support import (
    CASEWORKER,
    CLOCK,
    COORDINATOR,
    call,
    count,
    person,
    published,
    settled_child,
    writes_logged,
)
from tests.factories import ASKER


async def test_a_score_outside_1_to_5_is_bad_input_and_writes_nothing(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_RECORD,
            assessments.record_assessment,
            principal=CASEWORKER,
            child_id=child_id,
            body=AssessmentIn(
                scores=[DomainScoreIn(domain="health", score=7)], childs_own_words="ok"
            ),
            today=CLOCK.today(),
        )

    # then
    assert refused.value.field == "scores[0].score"
    assert await count(app_sessionmaker, Assessment, child_id) == 0
    assert await writes_logged(app_sessionmaker, child_id) == []
    assert await published(app_sessionmaker, child_id) == []


async def test_an_assessment_is_due_again_after_the_municipalitys_interval_and_is_published(
    app_sessionmaker,
):
    # given Asker assesses every three months
    asker_admin = person(Role.MUNICIPALITY_ADMIN, "asker-admin", ASKER)
    asker_caseworker = person(Role.CASEWORKER, "asker-caseworker", ASKER)
    child_id = await settled_child(app_sessionmaker, tenant=ASKER)
    await call(
        app_sessionmaker,
        permissions.care.ASSESSMENT_SCHEDULE_WRITE,
        assessments.set_assessment_schedule,
        principal=asker_admin,
        body=AssessmentScheduleIn(interval_months=3),
    )
    try:
        # when
        assessment = await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_RECORD,
            assessments.record_assessment,
            principal=asker_caseworker,
            child_id=child_id,
            body=AssessmentIn(
                scores=[DomainScoreIn(domain="wellbeing", score=4)],
                childs_own_words="I like my school",
                notes="Settling well",
            ),
            today=CLOCK.today(),
        )
    finally:
        await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_SCHEDULE_WRITE,
            assessments.set_assessment_schedule,
            principal=asker_admin,
            body=AssessmentScheduleIn(interval_months=6),
        )

    # then
    today = CLOCK.today()
    assert assessment.assessed_on == today
    assert (assessment.next_due_on - today).days in range(89, 93)
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=asker_caseworker,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
    )
    assert answer.items[0].next_assessment_due == assessment.next_due_on
    assert [
        (k, d["next_due_on"]) for k, d in await published(app_sessionmaker, child_id, ASKER)
    ] == [("care.assessment.recorded", assessment.next_due_on.isoformat())]


@pytest.mark.parametrize("principal", [CASEWORKER, COORDINATOR])
async def test_only_the_municipality_admin_sets_the_assessment_interval(
    app_sessionmaker, principal
):
    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_SCHEDULE_WRITE,
            assessments.set_assessment_schedule,
            principal=principal,
            body=AssessmentScheduleIn(interval_months=3),
        )
