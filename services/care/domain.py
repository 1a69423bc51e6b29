"""Care rules: the record a settled child starts with, the assessment schedule, who sees what.

Functions here build model objects and raise typed errors; they never touch HTTP, SQL text
or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from havn.auth import DataClass, Role
from havn.errors import InvalidInput
from havn.events.contracts import ChildSettledV1
from services.care.models import CarePlan, Child


class CarePlanStatus(StrEnum):
    DRAFT = "DRAFT"
    APPROVED = "APPROVED"


# The needs assessment on arrival (seed 000) is done within the child's first two weeks.
FIRST_ASSESSMENT_AFTER = timedelta(days=14)


@dataclass(frozen=True, kw_only=True)
class CareVisibility:
    """Which parts of a child's care record a caller sees.

    The plan's status and schedule are the coordinator's summary; its goals and the child's
    own words are the caseworker's working detail; assessments are confidential.
    """

    plan_summary: bool = False
    plan_details: bool = False
    assessments: bool = False

    @property
    def data_classes(self) -> tuple[DataClass, ...]:
        """The classes a read of this much is logged under: the plan is personal data."""
        return tuple(
            data_class
            for data_class, seen in (
                (DataClass.PERSONAL, self.plan_summary),
                (DataClass.CONFIDENTIAL, self.assessments),
            )
            if seen
        )


NOTHING = CareVisibility()
# Contact persons will see the care of the children assigned to them once assignment exists;
# until then they, like every role not listed, see no child's care at all.
CARE_VISIBILITY: dict[Role, CareVisibility] = {
    Role.SETTLEMENT_COORDINATOR: CareVisibility(plan_summary=True),
    Role.CASEWORKER: CareVisibility(plan_summary=True, plan_details=True, assessments=True),
}
FOLLOW_UP_NOTE_READERS = frozenset({Role.CASEWORKER})


def care_visibility(*, roles: Iterable[Role]) -> CareVisibility:
    """What a caller with these roles sees: the most any one of its roles sees, part by part."""
    granted = [CARE_VISIBILITY.get(role, NOTHING) for role in roles]
    return CareVisibility(
        plan_summary=any(v.plan_summary for v in granted),
        plan_details=any(v.plan_details for v in granted),
        assessments=any(v.assessments for v in granted),
    )


def may_read_follow_up_notes(*, roles: Iterable[Role]) -> bool:
    return not FOLLOW_UP_NOTE_READERS.isdisjoint(roles)


def first_assessment_due(*, settled_on: date) -> date:
    return settled_on + FIRST_ASSESSMENT_AFTER


def open_care(*, settled: ChildSettledV1, tenant_id: str) -> tuple[Child, CarePlan]:
    """A settled child's care record: what care keeps of the child and an empty draft plan."""
    child = Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        date_of_birth=settled.date_of_birth,
        settled_on=settled.settled_on,
        languages=list(settled.languages),
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


def follow_up_note_children(*, child_ids: list[uuid.UUID], after: str | None) -> list[uuid.UUID]:
    """The distinct children whose notes are paged; a cursor belongs to one child's list."""
    distinct = list(dict.fromkeys(child_ids))
    if after is not None and len(distinct) != 1:
        raise InvalidInput(
            "`after` pages one child's notes: pass exactly one child id with it", field="after"
        )
    return distinct
