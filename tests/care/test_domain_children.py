"""Care rules for a child's record: what it starts with, its contact person, its pages."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from havn import vocabulary
from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1
from services.care.domain import assessments, checks, children
from tests.care.domain_support import TODAY, a_child
from tests.factories import BERGEN, child_settled

# --- the record a settled child starts with -------------------------------------------------


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
    assert assessments.first_assessment_due(settled_on=settled_on) == due


def test_a_settled_child_starts_with_an_empty_draft_plan_and_no_contact_person():
    # given
    settled = ChildSettledV1.from_envelope(child_settled(settled_on=date(2026, 11, 2)))

    # when
    child, plan = children.open_care(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id, child.first_name) == (settled.child_id, BERGEN, "Amina")
    assert (child.full_name, child.contact_person) == ("Amina Rahimi", None)
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert plan.status == vocabulary.CarePlanStatus.DRAFT
    assert (plan.childs_own_words, plan.approved_on, plan.version) == (None, None, 1)
    assert plan.next_assessment_due == date(2026, 11, 16)


# --- contact person -----------------------------------------------------------------------


def test_assigning_a_contact_person_returns_whom_they_replace():
    # given
    child = a_child(contact_person="bergen-contact")

    # when
    previous = children.assign_contact_person(
        child, username=" Kari.Nordmann ", is_contact_person=True, replace=True, today=TODAY
    )

    # then
    assert (previous, child.contact_person, child.contact_assigned_on) == (
        "bergen-contact",
        "kari.nordmann",
        TODAY,
    )


@pytest.mark.parametrize("username", ["", "a", "has space", "semi;colon", "x" * 101])
def test_a_contact_person_must_be_a_username(username):
    # when
    with pytest.raises(InvalidInput) as refused:
        children.assign_contact_person(
            a_child(), username=username, is_contact_person=True, replace=False, today=TODAY
        )

    # then
    assert refused.value.field == "username"


def test_assigning_the_same_contact_person_again_is_a_conflict():
    # when / then
    with pytest.raises(Conflict):
        children.assign_contact_person(
            a_child(contact_person="bergen-contact"),
            username="bergen-contact",
            is_contact_person=True,
            replace=True,
            today=TODAY,
        )


def test_only_a_user_with_the_contact_person_role_can_be_assigned():
    # given a child, and a user Havn has not seen act as a contact person
    child = a_child()

    # when they are assigned
    with pytest.raises(InvalidInput) as refused:
        children.assign_contact_person(
            child,
            username="bergen-coordinator",
            is_contact_person=False,
            replace=False,
            today=TODAY,
        )

    # then it is refused on the username and the child keeps no contact person
    assert refused.value.field == "username"
    assert child.contact_person is None


def test_replacing_a_contact_person_must_be_asked_for_and_the_conflict_names_the_current_one():
    # given a child with a contact person
    child = a_child(contact_person="bergen-contact")

    # when another is assigned without replace
    with pytest.raises(Conflict, match="bergen-contact"):
        children.assign_contact_person(
            child, username="kari.nordmann", is_contact_person=True, replace=False, today=TODAY
        )

    # then the child keeps its contact person
    assert child.contact_person == "bergen-contact"


def test_unassigning_without_a_contact_person_is_a_conflict():
    # when / then
    with pytest.raises(Conflict):
        children.unassign_contact_person(a_child())


# --- a child's pages ----------------------------------------------------------------------


def test_a_cursor_pages_the_list_of_exactly_one_child():
    # given
    one, other = uuid.uuid4(), uuid.uuid4()

    # when
    with pytest.raises(InvalidInput) as refused:
        checks.child_pages_of(child_ids=[one, other], after="cursor")

    # then
    assert refused.value.field == "after"
    assert checks.child_pages_of(child_ids=[one, one], after="cursor") == [one]
    assert checks.child_pages_of(child_ids=[one, other, one], after=None) == [one, other]
