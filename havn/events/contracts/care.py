"""Contracts of the events care publishes.

None carries an assessment's scores or notes, a note's text or health data: consumers learn
that something happened to a child, not what a caseworker wrote.
"""

from __future__ import annotations

import uuid
from datetime import date

from havn.events.contracts.base import Contract, contract


@contract("care.contactperson.assigned", 1)
class ContactPersonAssignedV1(Contract):
    """A child has a (new) contact person; intake shows them the child's basic and personal data.

    `previous_username` is the contact person it replaces, who loses the child.
    """

    child_id: uuid.UUID
    username: str
    previous_username: str | None
    assigned_on: date


@contract("care.contactperson.unassigned", 1)
class ContactPersonUnassignedV1(Contract):
    """A child no longer has a contact person; `username` loses the child."""

    child_id: uuid.UUID
    username: str


@contract("care.careplan.approved", 1)
class CarePlanApprovedV1(Contract):
    """A caseworker approved a version of the child's care plan."""

    child_id: uuid.UUID
    # `version` is the contract's own; this is the plan's.
    plan_version: int
    approved_on: date
    domains: list[str]


@contract("care.assessment.recorded", 1)
class AssessmentRecordedV1(Contract):
    """An assessment was recorded; the next is due on `next_due_on`."""

    child_id: uuid.UUID
    assessment_id: uuid.UUID
    assessed_on: date
    next_due_on: date
