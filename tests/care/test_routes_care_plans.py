"""Care plans through care's use cases: revising, approving and their kept versions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from havn import permissions
from havn.errors import Conflict, Forbidden, InvalidInput
from services.care import schemas
from services.care.models import CarePlanVersion
from services.care.schemas import CareBatchIn, ChildPagesIn
from services.care.service import care_plans, care_records
from tests.care.routes_support import (
    CASEWORKER,
    CLOCK,
    CONTACT,
    COORDINATOR,
    assigned_child,
    call,
    count,
    plan_input,
    published,
    settled_child,
)

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


async def test_approval_without_the_childs_words_is_a_conflict_and_writes_nothing(
    app_sessionmaker,
):
    # given a plan with a goal but without the child's words
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(words=None),
        today=CLOCK.today(),
    )

    # when
    with pytest.raises(Conflict) as refused:
        await call(
            app_sessionmaker,
            permissions.care.PLAN_APPROVE,
            care_plans.approve_care_plan,
            principal=CASEWORKER,
            child_id=child_id,
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "childs_own_words"
    assert await count(app_sessionmaker, CarePlanVersion, child_id) == 0
    assert await published(app_sessionmaker, child_id) == []


async def test_a_review_date_in_the_past_is_bad_input_and_keeps_the_plan_as_it_was(
    app_sessionmaker,
):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(),
        today=CLOCK.today(),
    )

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.PLAN_REVISE,
            care_plans.revise_care_plan,
            principal=CASEWORKER,
            child_id=child_id,
            body=plan_input(domain="housing", review_on=CLOCK.today() - timedelta(days=1)),
            today=CLOCK.today(),
        )

    # then
    assert refused.value.field == "goals[0].review_on"
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=CASEWORKER,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
    )
    (item,) = answer.items
    assert item.care_plan is not None
    assert [g.domain for g in item.care_plan.goals] == ["education"]


async def test_every_approved_version_is_kept_and_read_back_with_what_changed(app_sessionmaker):
    # given a plan approved, changed and approved again
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        clock=CLOCK,
    )
    revised = await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(measures=["Enrol at Nygård school", "Homework help"]),
        today=CLOCK.today(),
    )
    approved = await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        clock=CLOCK,
    )

    # when
    history = schemas.present_child_pages(
        await call(
            app_sessionmaker,
            permissions.care.DETAILS_READ,
            care_plans.read_care_plan_versions,
            principal=CASEWORKER,
            body=ChildPagesIn(child_ids=[child_id]),
        ),
        schemas.present_version,
    )

    # then
    assert (revised.plan.status, revised.plan.version) == ("REVISED", 2)
    assert (approved.plan.status, approved.plan.version, approved.plan.approved_by) == (
        "APPROVED",
        2,
        "bergen-caseworker",
    )
    versions = history.items[0].page.items
    assert [(v.version, v.approved_by, v.changes) for v in versions] == [
        (2, "bergen-caseworker", ["education: measures changed"]),
        (1, "bergen-caseworker", ["first approved version"]),
    ]
    assert versions[1].goals[0].measures == ["Enrol at Nygård school"]
    assert [(k, d["plan_version"]) for k, d in await published(app_sessionmaker, child_id)] == [
        ("care.careplan.approved", 1),
        ("care.careplan.approved", 2),
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR])
async def test_only_a_caseworker_changes_or_approves_a_plan(app_sessionmaker, principal):
    # given even the child's own contact person
    child_id = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.PLAN_REVISE,
            care_plans.revise_care_plan,
            principal=principal,
            child_id=child_id,
            body=plan_input(),
            today=CLOCK.today(),
        )
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.PLAN_APPROVE,
            care_plans.approve_care_plan,
            principal=principal,
            child_id=child_id,
            clock=CLOCK,
        )
