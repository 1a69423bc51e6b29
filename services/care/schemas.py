"""Care's wire models: what its routes take in and give out, and how each answer is presented
from the rows and records the use cases return (what a caller may see of each part)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from havn import vocabulary
from havn.dates import EventDate
from havn.http import ChildIdsIn, ItemsOut
from havn.numbers import Int32
from havn.pagination import MAX_PAGE_SIZE, Page, PageRequest
from havn.text import FreeText, Line, Paragraphs, PersonName
from services.care.domain import assessments
from services.care.domain.parts import CarePart, CareRecord
from services.care.models import CarePlan, CarePlanVersion, Education
from services.care.repository import CaseloadCounts, HealthRecords

T = TypeVar("T")
Row = TypeVar("Row")

Text = Annotated[str, Paragraphs(4000)]
LongText = FreeText
ShortText = Line


# --- in ----------------------------------------------------------------------


class ChildPagesIn(PageRequest):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class ContactPersonIn(BaseModel):
    username: ShortText
    # Replacing a child's contact person is said out loud, never done by a plain assignment.
    replace: bool = False


class CareGoalIn(BaseModel):
    domain: ShortText
    description: Text
    measures: list[Text] = Field(max_length=20)
    responsible: ShortText
    review_on: EventDate


class CarePlanIn(BaseModel):
    goals: list[CareGoalIn] = Field(max_length=20)
    childs_own_words: Text | None = None


class DomainScoreIn(BaseModel):
    domain: ShortText
    score: Int32


class AssessmentIn(BaseModel):
    scores: list[DomainScoreIn] = Field(max_length=20)
    childs_own_words: Text | None = None
    notes: LongText | None = None


class FollowUpNoteIn(BaseModel):
    text: LongText
    corrects: uuid.UUID | None = None


class FollowUpNoteEditIn(BaseModel):
    text: LongText


class GeneralPractitionerIn(BaseModel):
    name: PersonName
    practice: ShortText | None = None


class ScreeningIn(BaseModel):
    kind: ShortText
    screened_on: EventDate
    findings: Text | None = None


class MentalHealthReferralIn(BaseModel):
    service: ShortText
    referred_on: EventDate
    reason: Text


class EducationIn(BaseModel):
    school: ShortText
    class_level: ShortText
    norwegian_level: vocabulary.NorwegianLevel
    started_on: EventDate


class InterpreterIn(BaseModel):
    name: PersonName
    qualified: bool


class MeetingIn(BaseModel):
    held_on: EventDate
    purpose: Text
    language: ShortText
    interpreter: InterpreterIn | None = None


class AssessmentScheduleIn(BaseModel):
    interval_months: Int32


# --- out ---------------------------------------------------------------------


class CareGoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    domain: str
    description: str
    measures: list[str]
    responsible: str
    review_on: date | None


class CarePlanOut(BaseModel):
    status: vocabulary.CarePlanStatus
    version: int
    approved_on: date | None
    # personal working detail: empty and null where the caller sees the status only
    goals: list[CareGoalOut]
    childs_own_words: str | None
    approved_by: str | None
    # set while the plan is CLOSED; the reason with the plan's details only
    closed_on: date | None = None
    closed_reason: str | None = None


class DomainScoreOut(BaseModel):
    domain: str
    score: int


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    child_id: uuid.UUID
    assessed_on: date
    scores: list[DomainScoreOut]
    childs_own_words: str | None
    notes: str | None
    next_due_on: date
    recorded_by: str | None


class CareSummaryOut(BaseModel):
    """One child's place in a caseload; `contact_person` is null where it is not shown."""

    child_id: uuid.UUID
    first_name: str
    care_plan_status: vocabulary.CarePlanStatus
    care_plan_approved_on: date | None
    next_assessment_due: date | None
    assessment_overdue: bool
    contact_person: str | None
    interpreter_needed: bool | None


class ChildCareOut(CareSummaryOut):
    care_plan: CarePlanOut | None
    # confidential: null where the caller is not cleared
    assessments: list[AssessmentOut] | None
    # confidential, and only when asked for (`note_counts`): how many follow-up notes
    follow_up_note_count: int | None = None


class CareBatchIn(ChildIdsIn):
    # A caseload's column too: how many follow-up notes each child has, read and logged like
    # the notes, so that the list costs one call to care rather than two.
    note_counts: bool = False


class CarePlanVersionOut(BaseModel):
    version: int
    approved_by: str
    approved_at: datetime
    changes: list[str]
    goals: list[CareGoalOut]
    childs_own_words: str | None


class FollowUpNoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    child_id: uuid.UUID
    written_at: datetime
    author: str
    text: str
    corrects_id: uuid.UUID | None
    edited_at: datetime | None


class ChildCountOut(BaseModel):
    child_id: uuid.UUID
    total_count: int


class ChildPageOut(BaseModel, Generic[T]):
    child_id: uuid.UUID
    page: Page[T]


class GeneralPractitionerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    gp_name: str
    gp_practice: str | None


class ScreeningOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    screened_on: date
    findings: str | None
    recorded_by: str


class MentalHealthReferralOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    service: str
    referred_on: date
    reason: str
    recorded_by: str


class HealthOut(BaseModel):
    child_id: uuid.UUID
    general_practitioner: GeneralPractitionerOut | None
    screenings: list[ScreeningOut]
    mental_health_referrals: list[MentalHealthReferralOut]


class EducationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    child_id: uuid.UUID
    school: str
    class_level: str
    norwegian_level: vocabulary.NorwegianLevel
    started_on: date


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    child_id: uuid.UUID
    held_on: date
    purpose: str
    language: str
    interpreter_name: str | None
    interpreter_qualified: bool | None
    interpreter_missing: bool
    recorded_by: str


class CaseloadCountsOut(BaseModel):
    all: int
    mine: int
    overdue_assessment: int
    care_plan_not_approved: int
    no_contact_person: int


class CaseloadOut(BaseModel):
    page: Page[CareSummaryOut]
    counts: CaseloadCountsOut


class AssessmentScheduleOut(BaseModel):
    interval_months: int


class ContactPersonOut(BaseModel):
    """A user a child can be given as contact person."""

    username: str


# --- presenting ---------------------------------------------------------------------------


def present_summary(record: CareRecord, today: date) -> CareSummaryOut:
    child, plan, parts = record.child, record.plan, record.parts
    return CareSummaryOut(
        child_id=child.id,
        first_name=child.first_name,
        care_plan_status=vocabulary.CarePlanStatus(plan.status),
        care_plan_approved_on=plan.approved_on,
        next_assessment_due=plan.next_assessment_due,
        assessment_overdue=plan.status != vocabulary.CarePlanStatus.CLOSED
        and assessments.assessment_overdue(plan.next_assessment_due, today=today),
        contact_person=child.contact_person if CarePart.CONTACT_PERSON in parts else None,
        interpreter_needed=child.interpreter_needed if CarePart.MEETINGS in parts else None,
    )


def present_contact_person(username: str) -> ContactPersonOut:
    return ContactPersonOut(username=username)


def present_plan(plan: CarePlan, parts: frozenset[CarePart]) -> CarePlanOut:
    details = CarePart.PLAN in parts
    return CarePlanOut(
        status=vocabulary.CarePlanStatus(plan.status),
        version=plan.version,
        approved_on=plan.approved_on,
        goals=[CareGoalOut.model_validate(goal) for goal in plan.goals] if details else [],
        childs_own_words=plan.childs_own_words if details else None,
        approved_by=plan.approved_by if details else None,
        closed_on=plan.closed_on,
        closed_reason=plan.closed_reason if details else None,
    )


def present_care(record: CareRecord, today: date) -> ChildCareOut:
    """What the caller may see of one child's care; goals are loaded only when visible."""
    return ChildCareOut(
        **present_summary(record, today).model_dump(),
        care_plan=present_plan(record.plan, record.parts),
        assessments=(
            [AssessmentOut.model_validate(a) for a in record.assessments]
            if record.assessments is not None
            else None
        ),
        follow_up_note_count=record.note_count,
    )


def present_care_records(records: Iterable[CareRecord], today: date) -> ItemsOut[ChildCareOut]:
    return ItemsOut[ChildCareOut](items=[present_care(record, today) for record in records])


def present_caseload(page: Page[CareRecord], counts: CaseloadCounts, today: date) -> CaseloadOut:
    return CaseloadOut(
        page=page.map(lambda record: present_summary(record, today)),
        counts=CaseloadCountsOut(**counts.__dict__),
    )


def present_version(version: CarePlanVersion) -> CarePlanVersionOut:
    return CarePlanVersionOut(
        version=version.version,
        approved_by=version.approved_by,
        approved_at=version.approved_at,
        changes=list(version.changes),
        goals=[CareGoalOut.model_validate(goal) for goal in version.snapshot["goals"]],
        childs_own_words=version.snapshot["childs_own_words"],
    )


def present_child_pages(
    pages: Mapping[uuid.UUID, Page[Row]], present: Callable[[Row], T]
) -> ItemsOut[ChildPageOut[T]]:
    """A page per child, in the order the use case found them, each item presented."""
    return ItemsOut[ChildPageOut[T]](
        items=[
            ChildPageOut[T](child_id=child_id, page=page.map(present))
            for child_id, page in pages.items()
        ]
    )


def present_note_counts(counts: Mapping[uuid.UUID, int]) -> ItemsOut[ChildCountOut]:
    return ItemsOut[ChildCountOut](
        items=[ChildCountOut(child_id=child_id, total_count=n) for child_id, n in counts.items()]
    )


def present_health(child_id: uuid.UUID, records: HealthRecords) -> HealthOut:
    profile = records.profiles.get(child_id)
    return HealthOut(
        child_id=child_id,
        general_practitioner=GeneralPractitionerOut.model_validate(profile) if profile else None,
        screenings=[ScreeningOut.model_validate(s) for s in records.screenings.get(child_id, [])],
        mental_health_referrals=[
            MentalHealthReferralOut.model_validate(r) for r in records.referrals.get(child_id, [])
        ],
    )


def present_health_of_children(records: HealthRecords) -> ItemsOut[HealthOut]:
    return ItemsOut[HealthOut](
        items=[present_health(child_id, records) for child_id in records.child_ids]
    )


def present_education(education: Iterable[Education]) -> ItemsOut[EducationOut]:
    return ItemsOut[EducationOut](items=[EducationOut.model_validate(e) for e in education])
