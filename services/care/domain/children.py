"""The child care keeps (from intake) and its contact person."""

from __future__ import annotations

import re
from datetime import date

from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1, ChildUpdatedV1
from havn.languages import needs_interpreter
from havn.vocabulary import CarePlanStatus
from services.care.domain.assessments import first_assessment_due
from services.care.models import CarePlan, Child

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")


def open_care(*, settled: ChildSettledV1, tenant_id: str) -> tuple[Child, CarePlan]:
    """A settled child's care record: what care keeps of the child and an empty draft plan."""
    child = Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        full_name=settled.full_name,
        date_of_birth=settled.date_of_birth,
        settled_on=settled.settled_on,
        languages=list(settled.languages),
        # Intake owns the need; an event from before it said so falls back on the languages.
        interpreter_needed=(
            settled.interpreter_needed
            if settled.interpreter_needed is not None
            else needs_interpreter(settled.languages)
        ),
        revision=settled.revision,
    )
    plan = CarePlan(
        child_id=settled.child_id,
        tenant_id=tenant_id,
        status=CarePlanStatus.DRAFT,
        childs_own_words=None,
        approved_on=None,
        version=1,
        next_assessment_due=first_assessment_due(settled_on=settled.settled_on),
    )
    return child, plan


def follow_identity(child: Child, *, updated: ChildUpdatedV1) -> None:
    """Keeps the projection in step with intake's identity record."""
    child.first_name = updated.first_name
    child.full_name = updated.full_name
    child.date_of_birth = updated.date_of_birth
    child.languages = list(updated.languages)
    if updated.interpreter_needed is not None:
        child.interpreter_needed = updated.interpreter_needed


def check_username(username: str) -> str:
    """A municipality username as the identity provider spells it (lower case)."""
    cleaned = username.strip().lower()
    if not USERNAME.fullmatch(cleaned):
        raise InvalidInput(
            f"'{username}' is not a username: letters, digits and . _ @ - only",
            field="username",
        )
    return cleaned


def assign_contact_person(
    child: Child, *, username: str, is_contact_person: bool, replace: bool, today: date
) -> str | None:
    """Makes `username` the child's contact person; returns whom it replaces, if anyone.

    Only a user with the contact-person role in the municipality can be one
    (`is_contact_person`: Havn has seen them act with it there), and a child's contact
    person is replaced only when the caller says so (`replace`).
    """
    username = check_username(username)
    if child.contact_person == username:
        raise Conflict(f"{username} is already this child's contact person")
    if not is_contact_person:
        raise InvalidInput(
            f"'{username}' is not a contact person in this municipality: only a user with "
            "the contact-person role who has signed in to Havn here can be assigned",
            field="username",
        )
    if child.contact_person is not None and not replace:
        raise Conflict(
            f"{child.contact_person} is this child's contact person; "
            "assign with replace: true to replace them"
        )
    previous = child.contact_person
    child.contact_person = username
    child.contact_assigned_on = today
    return previous


def unassign_contact_person(child: Child) -> str:
    """Leaves the child without a contact person; returns who it was."""
    if child.contact_person is None:
        raise Conflict("this child has no contact person to unassign")
    previous = child.contact_person
    child.contact_person = None
    child.contact_assigned_on = None
    return previous
