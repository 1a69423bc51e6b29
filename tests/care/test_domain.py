"""Care rules without a database: the first assessment, the draft plan, who sees what."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from havn.auth import DataClass, Role
from havn.errors import InvalidInput
from havn.events.contracts import ChildSettledV1
from services.care import domain
from services.care.domain import CareVisibility
from tests.factories import BERGEN, child_settled


@pytest.mark.parametrize(
    ("settled_on", "due"),
    [
        (date(2026, 11, 2), date(2026, 11, 16)),
        (date(2026, 12, 25), date(2027, 1, 8)),
        (date(2028, 2, 20), date(2028, 3, 5)),
    ],
)
def test_first_assessment_is_due_two_weeks_after_settlement(settled_on, due):
    # when / then
    assert domain.first_assessment_due(settled_on=settled_on) == due


def test_a_settled_child_starts_with_an_empty_draft_plan():
    # given
    settled = ChildSettledV1.from_envelope(child_settled(settled_on=date(2026, 11, 2)))

    # when
    child, plan = domain.open_care(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id, child.first_name) == (settled.child_id, BERGEN, "Amina")
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert child.languages == ["prs", "en"]
    assert plan.child_id == settled.child_id
    assert plan.status == domain.CarePlanStatus.DRAFT
    assert (plan.childs_own_words, plan.approved_on, plan.version) == (None, None, 1)
    assert plan.next_assessment_due == date(2026, 11, 16)


SUMMARY = CareVisibility(plan_summary=True)
EVERYTHING = CareVisibility(plan_summary=True, plan_details=True, assessments=True)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.SETTLEMENT_COORDINATOR, SUMMARY),
        (Role.CASEWORKER, EVERYTHING),
        (Role.CONTACT_PERSON, domain.NOTHING),
        (Role.VOLUNTEER_COORDINATOR, domain.NOTHING),
        (Role.MUNICIPALITY_ADMIN, domain.NOTHING),
        (Role.PARTNER, domain.NOTHING),
        (Role.DIRECTORATE_ALLOCATOR, domain.NOTHING),
        (Role.DIRECTORATE_ANALYST, domain.NOTHING),
        (Role.PLATFORM_ADMIN, domain.NOTHING),
    ],
)
def test_each_role_sees_only_its_part_of_a_care_record(role, sees):
    # when / then
    assert domain.care_visibility(roles={role}) == sees


def test_a_caller_with_several_roles_sees_the_most_any_of_them_sees():
    # when
    sees = domain.care_visibility(roles={Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})

    # then
    assert sees == EVERYTHING


@pytest.mark.parametrize(
    ("sees", "logged_as"),
    [
        (domain.NOTHING, ()),
        (SUMMARY, (DataClass.PERSONAL,)),
        (EVERYTHING, (DataClass.PERSONAL, DataClass.CONFIDENTIAL)),
    ],
)
def test_plan_reads_are_logged_as_personal_and_assessment_reads_as_confidential(sees, logged_as):
    # when / then
    assert sees.data_classes == logged_as


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.CASEWORKER, True),
        (Role.SETTLEMENT_COORDINATOR, False),
        (Role.CONTACT_PERSON, False),
        (Role.MUNICIPALITY_ADMIN, False),
        (Role.PARTNER, False),
    ],
)
def test_only_caseworkers_read_follow_up_notes(role, may):
    # when / then
    assert domain.may_read_follow_up_notes(roles={role}) is may


def test_a_cursor_pages_the_notes_of_exactly_one_child():
    # given
    one, other = uuid.uuid4(), uuid.uuid4()

    # when
    with pytest.raises(InvalidInput) as refused:
        domain.follow_up_note_children(child_ids=[one, other], after="cursor")

    # then
    assert refused.value.field == "after"
    assert domain.follow_up_note_children(child_ids=[one, one], after="cursor") == [one]
    assert domain.follow_up_note_children(child_ids=[one, other, one], after=None) == [one, other]
