"""Care rules for who sees which part of a child's care and who writes it."""

from __future__ import annotations

import pytest

from havn import permissions
from havn.auth import DataClass, Role
from havn.errors import Forbidden
from services.care.domain import parts
from services.care.domain.parts import CarePart

# --- who sees which part ------------------------------------------------------------------

ALL_BUT_HEALTH = parts.EVERY_PART - {CarePart.HEALTH}


@pytest.mark.parametrize(
    ("role", "assigned", "sees"),
    [
        (Role.SETTLEMENT_COORDINATOR, False, {CarePart.PLAN_STATUS}),
        (Role.CASEWORKER, False, set(parts.EVERY_PART)),
        (Role.CONTACT_PERSON, True, set(ALL_BUT_HEALTH)),
        (Role.CONTACT_PERSON, False, set()),
        (Role.VOLUNTEER_COORDINATOR, True, set()),
        (Role.MUNICIPALITY_ADMIN, True, set()),
        (Role.PARTNER, True, set()),
        (Role.DIRECTORATE_ALLOCATOR, True, set()),
        (Role.DIRECTORATE_ANALYST, True, set()),
        (Role.PLATFORM_ADMIN, True, set()),
    ],
)
def test_each_role_sees_exactly_its_parts_of_a_childs_care(role, assigned, sees):
    # when / then
    assert parts.visible_parts(roles={role}, assigned=assigned) == sees


def test_a_caller_with_several_roles_sees_the_most_any_of_them_sees():
    # when
    sees = parts.visible_parts(
        roles={Role.SETTLEMENT_COORDINATOR, Role.CONTACT_PERSON}, assigned=False
    )

    # then
    assert sees == {CarePart.PLAN_STATUS}


def test_the_readers_of_a_part_are_the_roles_that_see_it_of_some_child():
    # when / then
    assert parts.readers_of(CarePart.PLAN_STATUS) == {
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.CONTACT_PERSON,
    }
    assert parts.readers_of(CarePart.HEALTH) == {Role.CASEWORKER}


@pytest.mark.parametrize(
    ("part", "data_class"),
    [
        (CarePart.PLAN_STATUS, DataClass.PERSONAL),
        (CarePart.PLAN, DataClass.PERSONAL),
        (CarePart.CONTACT_PERSON, DataClass.PERSONAL),
        (CarePart.EDUCATION, DataClass.PERSONAL),
        (CarePart.MEETINGS, DataClass.PERSONAL),
        (CarePart.ASSESSMENTS, DataClass.CONFIDENTIAL),
        (CarePart.NOTES, DataClass.CONFIDENTIAL),
        (CarePart.HEALTH, DataClass.SENSITIVE),
    ],
)
def test_each_part_is_read_and_written_under_its_data_class(part, data_class):
    # when / then
    assert parts.PART_CLASS[part] == data_class


# --- who writes ---------------------------------------------------------------------------


CARE_ACTS = [
    permissions.care.CONTACT_PERSON_ASSIGN,
    permissions.care.PLAN_REVISE,
    permissions.care.PLAN_APPROVE,
    permissions.care.ASSESSMENT_RECORD,
    permissions.care.NOTE_WRITE,
    permissions.care.HEALTH_RECORD,
    permissions.care.EDUCATION_RECORD,
    permissions.care.MEETING_RECORD,
]


@pytest.mark.parametrize("act", CARE_ACTS, ids=lambda act: act.act)
def test_a_caseworker_may_do_everything_in_care_for_any_child(act):
    # when / then
    assert parts.may_act(permission=act, roles={Role.CASEWORKER}, assigned=False)


@pytest.mark.parametrize(
    ("act", "may"),
    [
        (permissions.care.NOTE_WRITE, True),
        (permissions.care.MEETING_RECORD, True),
        (permissions.care.CONTACT_PERSON_ASSIGN, False),
        (permissions.care.PLAN_REVISE, False),
        (permissions.care.PLAN_APPROVE, False),
        (permissions.care.ASSESSMENT_RECORD, False),
        (permissions.care.HEALTH_RECORD, False),
        (permissions.care.EDUCATION_RECORD, False),
    ],
    ids=lambda value: value.act if isinstance(value, permissions.Permission) else str(value),
)
def test_a_contact_person_writes_notes_and_meetings_of_their_own_children_only(act, may):
    # when / then
    assert parts.may_act(permission=act, roles={Role.CONTACT_PERSON}, assigned=True) is may
    assert not parts.may_act(permission=act, roles={Role.CONTACT_PERSON}, assigned=False)


def test_a_contact_person_writing_about_someone_elses_child_is_told_why():
    # when
    with pytest.raises(Forbidden, match="contact person"):
        parts.require_act(
            permission=permissions.care.NOTE_WRITE, roles={Role.CONTACT_PERSON}, assigned=False
        )


@pytest.mark.parametrize(
    "role", [Role.SETTLEMENT_COORDINATOR, Role.VOLUNTEER_COORDINATOR, Role.PARTNER]
)
def test_roles_outside_care_write_nothing(role):
    # when / then
    assert not any(parts.may_act(permission=act, roles={role}, assigned=True) for act in CARE_ACTS)
