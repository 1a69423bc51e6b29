"""Internal REST routes of the care service (/v1), called by the gateway with the user's token.

Every route checks the caller's roles against the part of the child's care it touches (a
contact person reaches only the children assigned to them) and logs what it read or wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.audit import Action, record_access, record_accesses
from havn.auth import DataClass, Principal, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.dates import EventDate
from havn.errors import InvalidInput, NotFound
from havn.events.contracts import Contract
from havn.events.contracts.care import (
    AssessmentRecordedV1,
    CarePlanApprovedV1,
    ContactPersonAssignedV1,
    ContactPersonUnassignedV1,
)
from havn.events.outbox import publish
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.numbers import Int32
from havn.pagination import MAX_PAGE_SIZE, Page, PageRequest
from havn.permissions import Permission, require_tenant
from havn.permissions.route import permitted
from havn.reach import in_childs_municipalities
from havn.staff import holds_role, note_staff_roles
from havn.text import FreeText, Line, Paragraphs, PersonName
from services.care import domain, policy, repository
from services.care.domain import CarePart
from services.care.models import (
    Assessment,
    CarePlan,
    CarePlanVersion,
    Child,
    Education,
    FollowUpNote,
    Meeting,
    events,
)

SERVICE = "care"
T = TypeVar("T")


async def note_staff_member(principal: CurrentPrincipal, session: UnitOfWork) -> None:
    """A municipal user acting in care is noted with their roles (who can be a contact person)."""
    await note_staff_roles(session, principal)


router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(note_staff_member), Depends(policy.NOTE_OPENED_CHILDREN)],
)


Text = Annotated[str, Paragraphs(4000)]
LongText = FreeText
ShortText = Line


# --- wire models: in ----------------------------------------------------------------------


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
    norwegian_level: domain.NorwegianLevel
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


# --- wire models: out ---------------------------------------------------------------------


class CareGoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    domain: str
    description: str
    measures: list[str]
    responsible: str
    review_on: date | None


class CarePlanOut(BaseModel):
    status: domain.CarePlanStatus
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
    care_plan_status: domain.CarePlanStatus
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
    norwegian_level: domain.NorwegianLevel
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


# --- access: who reaches which child ------------------------------------------------------


async def readable_children(
    session: AsyncSession, principal: Principal, child_ids: Sequence[uuid.UUID], part: CarePart
) -> list[Child]:
    """The children among these ids whose `part` the caller may read; others are absent."""
    reach = policy.part_reach(principal, part)
    if reach.nobody:
        return []
    return list(
        await repository.children_by_ids(session, list(dict.fromkeys(child_ids)), reach=reach)
    )


async def child_for(
    session: AsyncSession,
    principal: Principal,
    child_id: uuid.UUID,
    act: Permission,
    *,
    for_update: bool = False,
) -> Child:
    """The child an act is on, once the caller's roles allow that act on this child (the
    route's dependency has let them do it to some child)."""
    child = await repository.get_child(session, child_id, for_update=for_update)
    if child is None:
        raise NotFound("no such child")
    domain.require_act(
        permission=act, roles=principal.roles, assigned=policy.assigned_to(child, principal)
    )
    return child


async def log_access(
    session: AsyncSession,
    principal: Principal,
    child_ids: Iterable[uuid.UUID],
    data_class: DataClass,
    *,
    action: Action,
    operation: str,
) -> None:
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=child_ids,
        data_class=data_class,
        action=action,
        operation=operation,
    )


async def record_write(
    session: AsyncSession,
    principal: Principal,
    child: Child,
    act: Permission,
    *,
    operation: str,
    event: Contract | None = None,
) -> None:
    """A write is logged under its act's class; its event, if any, in the same transaction."""
    # Every act of care's on a child touches the child's data: it names a class.
    assert act.data_class is not None
    if event is not None:
        await publish(
            session, event, tenant=child.tenant_id, actor=principal.username, outbox=events.outbox
        )
    await log_access(
        session,
        principal,
        [child.id],
        act.data_class,
        action="write",
        operation=operation,
    )


# --- presenters ---------------------------------------------------------------------------


def present_summary(
    child: Child, plan: CarePlan, parts: frozenset[CarePart], today: date
) -> CareSummaryOut:
    return CareSummaryOut(
        child_id=child.id,
        first_name=child.first_name,
        care_plan_status=domain.CarePlanStatus(plan.status),
        care_plan_approved_on=plan.approved_on,
        next_assessment_due=plan.next_assessment_due,
        assessment_overdue=plan.status != domain.CarePlanStatus.CLOSED
        and domain.assessment_overdue(plan.next_assessment_due, today=today),
        contact_person=child.contact_person if CarePart.CONTACT_PERSON in parts else None,
        interpreter_needed=child.interpreter_needed if CarePart.MEETINGS in parts else None,
    )


def present_plan(plan: CarePlan, parts: frozenset[CarePart]) -> CarePlanOut:
    details = CarePart.PLAN in parts
    return CarePlanOut(
        status=domain.CarePlanStatus(plan.status),
        version=plan.version,
        approved_on=plan.approved_on,
        goals=[CareGoalOut.model_validate(goal) for goal in plan.goals] if details else [],
        childs_own_words=plan.childs_own_words if details else None,
        approved_by=plan.approved_by if details else None,
        closed_on=plan.closed_on,
        closed_reason=plan.closed_reason if details else None,
    )


def present_care(
    child: Child,
    plan: CarePlan,
    parts: frozenset[CarePart],
    assessments: list[Assessment] | None,
    today: date,
    note_count: int | None = None,
) -> ChildCareOut:
    """What the caller may see of one child's care; goals are loaded only when visible."""
    return ChildCareOut(
        **present_summary(child, plan, parts, today).model_dump(),
        care_plan=present_plan(plan, parts),
        assessments=(
            [AssessmentOut.model_validate(a) for a in assessments]
            if assessments is not None
            else None
        ),
        follow_up_note_count=note_count,
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


# --- care records -------------------------------------------------------------------------

CARE_RECORD_PARTS = (
    CarePart.PLAN_STATUS,
    CarePart.PLAN,
    CarePart.CONTACT_PERSON,
    CarePart.ASSESSMENTS,
)


@router.post("/care/batch")
async def care_by_child_ids(
    body: CareBatchIn,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_STATUS_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildCareOut]:
    """Loads many children's care in one call; children the caller may not see are absent.
    A child the caller opened by breaking the glass in another municipality is read there."""
    today = clock.today()

    async def read(reader: Principal, child_ids: Sequence[uuid.UUID]) -> list[ChildCareOut]:
        return await read_care(session, reader, child_ids, body.note_counts, today)

    items = await in_childs_municipalities(session, principal, body.child_ids, read)
    return ItemsOut[ChildCareOut](items=items)


async def read_care(
    session: AsyncSession,
    principal: Principal,
    child_ids: Sequence[uuid.UUID],
    note_counts: bool,
    today: date,
) -> list[ChildCareOut]:
    """The care of the children among these ids the caller reads, logged."""
    children = await readable_children(session, principal, child_ids, CarePart.PLAN_STATUS)
    parts = {child.id: policy.parts_of(child, principal) for child in children}
    plans = await repository.care_plans_by_child_ids(
        session, list(parts), with_goals=any(CarePart.PLAN in p for p in parts.values())
    )
    assessed = [child_id for child_id, p in parts.items() if CarePart.ASSESSMENTS in p]
    assessments = await repository.assessments_by_child_ids(session, assessed) if assessed else {}
    await record_accesses(
        session,
        principal,
        service=SERVICE,
        entries=[
            (child_id, data_class)
            for child_id, p in parts.items()
            for data_class in domain.data_classes(p & set(CARE_RECORD_PARTS))
        ],
        action="read",
        operation="care.read",
    )
    counts: dict[uuid.UUID, int] = {}
    if note_counts:
        noted = [child_id for child_id, p in parts.items() if CarePart.NOTES in p]
        counts = await count_notes(session, principal, noted)
    by_id = {child.id: child for child in children}
    return [
        present_care(
            by_id[plan.child_id],
            plan,
            parts[plan.child_id],
            assessments.get(plan.child_id, [])
            if CarePart.ASSESSMENTS in parts[plan.child_id]
            else None,
            today,
            counts.get(plan.child_id),
        )
        for plan in plans
    ]


@router.get("/caseload")
async def read_caseload(
    principal: Annotated[Principal, permitted(permissions.care.PLAN_STATUS_READ)],
    session: UnitOfWork,
    clock: Today,
    filter: domain.CaseloadFilter = domain.CaseloadFilter.ALL,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> CaseloadOut:
    """The caller's children (a contact person's: those assigned to them) and the backlog."""
    today = clock.today()
    page, counts = await repository.caseload(
        session,
        filter=filter,
        username=principal.username,
        reach=policy.part_reach(principal, CarePart.PLAN_STATUS).listed,
        today=today,
        first=first,
        after=after,
    )
    await log_access(
        session,
        principal,
        [child.id for child, _ in page.items],
        DataClass.PERSONAL,
        action="read",
        operation="caseload.read",
    )
    return CaseloadOut(
        page=page.map(
            lambda row: present_summary(row[0], row[1], policy.parts_of(row[0], principal), today)
        ),
        counts=CaseloadCountsOut(**counts.__dict__),
    )


# --- contact person -----------------------------------------------------------------------


async def summary_of(
    session: AsyncSession, principal: Principal, child: Child, today: date
) -> CareSummaryOut:
    (plan,) = await repository.care_plans_by_child_ids(session, [child.id], with_goals=False)
    return present_summary(child, plan, policy.parts_of(child, principal), today)


@router.put("/children/{child_id}/contact-person")
async def assign_contact_person(
    child_id: uuid.UUID,
    body: ContactPersonIn,
    principal: Annotated[Principal, permitted(permissions.care.CONTACT_PERSON_ASSIGN)],
    session: UnitOfWork,
    clock: Today,
) -> CareSummaryOut:
    """Makes a municipality user the child's contact person (hovedkontakt)."""
    act = permissions.care.CONTACT_PERSON_ASSIGN
    child = await child_for(session, principal, child_id, act, for_update=True)
    today = clock.today()
    username = domain.check_username(body.username)
    previous = domain.assign_contact_person(
        child,
        username=username,
        is_contact_person=await holds_role(session, username=username, role=Role.CONTACT_PERSON),
        replace=body.replace,
        today=today,
    )
    await session.flush()
    assert child.contact_person is not None
    await record_write(
        session,
        principal,
        child,
        act,
        operation="contact-person.assign",
        event=ContactPersonAssignedV1(
            child_id=child.id,
            username=child.contact_person,
            previous_username=previous,
            assigned_on=today,
        ),
    )
    return await summary_of(session, principal, child, today)


@router.delete("/children/{child_id}/contact-person")
async def unassign_contact_person(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.care.CONTACT_PERSON_ASSIGN)],
    session: UnitOfWork,
    clock: Today,
) -> CareSummaryOut:
    act = permissions.care.CONTACT_PERSON_ASSIGN
    child = await child_for(session, principal, child_id, act, for_update=True)
    previous = domain.unassign_contact_person(child)
    await session.flush()
    await record_write(
        session,
        principal,
        child,
        act,
        operation="contact-person.unassign",
        event=ContactPersonUnassignedV1(child_id=child.id, username=previous),
    )
    return await summary_of(session, principal, child, clock.today())


# --- care plan ----------------------------------------------------------------------------


async def plan_for_change(session: AsyncSession, child: Child) -> CarePlan:
    plan = await repository.get_care_plan(session, child.id, for_update=True)
    if plan is None:
        raise NotFound("no such child")
    return plan


@router.put("/children/{child_id}/care-plan")
async def revise_care_plan(
    child_id: uuid.UUID,
    body: CarePlanIn,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_REVISE)],
    session: UnitOfWork,
    clock: Today,
) -> CarePlanOut:
    """Sets the plan's goals and the child's words; an approved plan becomes REVISED."""
    act = permissions.care.PLAN_REVISE
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    goals = domain.revise_care_plan(
        plan,
        goals=[domain.GoalInput(**goal.model_dump()) for goal in body.goals],
        # Left out, the child's words stay as they are; null or blank empties them.
        childs_own_words=(
            body.childs_own_words
            if "childs_own_words" in body.model_fields_set
            else plan.childs_own_words
        ),
        today=clock.today(),
    )
    await repository.replace_goals(session, plan, goals)
    await record_write(session, principal, child, act, operation="care-plan.revise")
    return present_plan(plan, policy.parts_of(child, principal))


@router.post("/children/{child_id}/care-plan/approve")
async def approve_care_plan(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_APPROVE)],
    session: UnitOfWork,
    clock: Today,
) -> CarePlanOut:
    """Approves the plan as it stands and keeps the approved version."""
    act = permissions.care.PLAN_APPROVE
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    version = domain.approve_care_plan(
        plan,
        goals=plan.goals,
        previous=await repository.latest_version(session, child.id),
        by=principal.username,
        now=clock.now(),
        today=clock.today(),
    )
    await repository.add_all(session, [version])
    assert plan.approved_on is not None
    await record_write(
        session,
        principal,
        child,
        act,
        operation="care-plan.approve",
        event=CarePlanApprovedV1(
            child_id=child.id,
            plan_version=version.version,
            approved_on=plan.approved_on,
            domains=[goal.domain for goal in plan.goals],
        ),
    )
    return present_plan(plan, policy.parts_of(child, principal))


@router.post("/care-plan-versions/batch")
async def care_plan_versions_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[CarePlanVersionOut]]:
    """Each child's approved versions, newest first: who approved, when, what changed."""
    children = await readable_children(session, principal, body.child_ids, CarePart.PLAN)
    ids = domain.child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.care_plan_version_pages(
        session, ids, first=body.first, after=body.after
    )
    await log_access(
        session, principal, pages, DataClass.PERSONAL, action="read", operation="care-plan.history"
    )
    return ItemsOut[ChildPageOut[CarePlanVersionOut]](
        items=[
            ChildPageOut[CarePlanVersionOut](
                child_id=child_id, page=pages[child_id].map(present_version)
            )
            for child_id in ids
            if child_id in pages
        ]
    )


# --- assessments --------------------------------------------------------------------------


@router.post("/children/{child_id}/assessments", status_code=201)
async def record_assessment(
    child_id: uuid.UUID,
    body: AssessmentIn,
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> AssessmentOut:
    """Today's assessment; the next falls due one municipal interval later."""
    act = permissions.care.ASSESSMENT_RECORD
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    assessment = domain.record_assessment(
        plan,
        scores=[domain.ScoreInput(domain=s.domain, score=s.score) for s in body.scores],
        childs_own_words=body.childs_own_words,
        notes=body.notes,
        interval_months=await repository.assessment_interval(session),
        by=principal.username,
        today=clock.today(),
    )
    await repository.add_all(session, [assessment])
    await record_write(
        session,
        principal,
        child,
        act,
        operation="assessment.record",
        event=AssessmentRecordedV1(
            child_id=child.id,
            assessment_id=assessment.id,
            assessed_on=assessment.assessed_on,
            next_due_on=assessment.next_due_on,
        ),
    )
    return AssessmentOut.model_validate(assessment)


@router.get("/assessment-schedule")
async def read_assessment_schedule(
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_SCHEDULE_READ)],
    session: UnitOfWork,
) -> AssessmentScheduleOut:
    return AssessmentScheduleOut(interval_months=await repository.assessment_interval(session))


@router.put("/assessment-schedule")
async def set_assessment_schedule(
    body: AssessmentScheduleIn,
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_SCHEDULE_WRITE)],
    session: UnitOfWork,
) -> AssessmentScheduleOut:
    """The municipality's months between assessments, for assessments recorded from now on."""
    tenant = require_tenant(principal)
    months = domain.check_interval(body.interval_months)
    await repository.set_assessment_interval(session, tenant=tenant, months=months)
    return AssessmentScheduleOut(interval_months=months)


# --- follow-up notes ----------------------------------------------------------------------


async def children_whose_notes_are_read(
    session: AsyncSession, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> list[Child]:
    """The children among these ids whose follow-up notes the caller may read."""
    return await readable_children(session, principal, child_ids, CarePart.NOTES)


async def count_notes(
    session: AsyncSession, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many follow-up notes each child has, logged as a confidential read."""
    counts = await repository.follow_up_note_counts(session, child_ids)
    await log_access(
        session,
        principal,
        list(counts),
        DataClass.CONFIDENTIAL,
        action="read",
        operation="follow-up-notes.count",
    )
    return counts


@router.post("/follow-up-notes/batch")
async def follow_up_notes_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.CONFIDENTIAL_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[FollowUpNoteOut]]:
    """A page of notes per child, newest first, in the same statements for 1 or 200 children."""
    children = await children_whose_notes_are_read(session, principal, body.child_ids)
    ids = domain.child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.follow_up_note_pages(session, ids, first=body.first, after=body.after)
    await log_access(
        session,
        principal,
        list(pages),
        DataClass.CONFIDENTIAL,
        action="read",
        operation="follow-up-notes.read",
    )
    return ItemsOut[ChildPageOut[FollowUpNoteOut]](
        items=[
            ChildPageOut[FollowUpNoteOut](
                child_id=child_id, page=pages[child_id].map(FollowUpNoteOut.model_validate)
            )
            for child_id in ids
            if child_id in pages
        ]
    )


@router.post("/follow-up-notes/counts/batch")
async def follow_up_note_counts_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.CONFIDENTIAL_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildCountOut]:
    """How many notes each child has, without the notes (a caseload's column): read and
    logged like the notes themselves; children the caller may not see are absent."""
    children = await children_whose_notes_are_read(session, principal, body.child_ids)
    counts = await count_notes(session, principal, [c.id for c in children])
    return ItemsOut[ChildCountOut](
        items=[ChildCountOut(child_id=child_id, total_count=n) for child_id, n in counts.items()]
    )


@router.post("/children/{child_id}/follow-up-notes", status_code=201)
async def add_follow_up_note(
    child_id: uuid.UUID,
    body: FollowUpNoteIn,
    principal: Annotated[Principal, permitted(permissions.care.NOTE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FollowUpNoteOut:
    """A note by a caseworker, or by the child's own contact person; it may correct another."""
    act = permissions.care.NOTE_WRITE
    child = await child_for(session, principal, child_id, act)
    corrects: FollowUpNote | None = None
    if body.corrects is not None:
        corrects = await repository.get_follow_up_note(session, body.corrects)
        if corrects is None:
            raise InvalidInput("there is no such note to correct", field="corrects")
    note = domain.write_follow_up_note(
        child, text=body.text, corrects=corrects, author=principal.username, now=clock.now()
    )
    await repository.add_all(session, [note])
    await record_write(session, principal, child, act, operation="follow-up-note.add")
    return FollowUpNoteOut.model_validate(note)


@router.patch("/follow-up-notes/{note_id}")
async def edit_follow_up_note(
    note_id: uuid.UUID,
    body: FollowUpNoteEditIn,
    principal: Annotated[Principal, permitted(permissions.care.NOTE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FollowUpNoteOut:
    """Rewrites a note, by its author, within 24 hours of writing it."""
    act = permissions.care.NOTE_WRITE
    note = await repository.get_follow_up_note(session, note_id, for_update=True)
    if note is None:
        raise NotFound("no such note")
    child = await child_for(session, principal, note.child_id, act)
    domain.edit_follow_up_note(note, text=body.text, editor=principal.username, now=clock.now())
    await session.flush()
    await record_write(session, principal, child, act, operation="follow-up-note.edit")
    return FollowUpNoteOut.model_validate(note)


# --- health (special category data: caseworkers only) -------------------------------------


async def health_of(session: AsyncSession, child: Child) -> HealthOut:
    records = await repository.health_by_child_ids(session, [child.id])
    return present_health(child.id, records)


def present_health(child_id: uuid.UUID, records: repository.HealthRecords) -> HealthOut:
    profile = records.profiles.get(child_id)
    return HealthOut(
        child_id=child_id,
        general_practitioner=GeneralPractitionerOut.model_validate(profile) if profile else None,
        screenings=[ScreeningOut.model_validate(s) for s in records.screenings.get(child_id, [])],
        mental_health_referrals=[
            MentalHealthReferralOut.model_validate(r) for r in records.referrals.get(child_id, [])
        ],
    )


@router.post("/health/batch")
async def health_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_READ)],
    session: UnitOfWork,
) -> ItemsOut[HealthOut]:
    """Health of many children, for caseworkers; a read of sensitive data, logged as such."""
    children = await readable_children(session, principal, body.child_ids, CarePart.HEALTH)
    ids = [child.id for child in children]
    records = await repository.health_by_child_ids(session, ids)
    await log_access(
        session, principal, ids, DataClass.SENSITIVE, action="read", operation="health.read"
    )
    return ItemsOut[HealthOut](items=[present_health(child_id, records) for child_id in ids])


@router.put("/children/{child_id}/health/general-practitioner")
async def set_general_practitioner(
    child_id: uuid.UUID,
    body: GeneralPractitionerIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
) -> HealthOut:
    act = permissions.care.HEALTH_RECORD
    child = await child_for(session, principal, child_id, act)
    profile = domain.set_general_practitioner(
        child,
        await repository.get_health_profile(session, child.id),
        name=body.name,
        practice=body.practice,
    )
    await repository.add_all(session, [profile])
    await record_write(session, principal, child, act, operation="health.gp")
    return await health_of(session, child)


@router.post("/children/{child_id}/health/screenings", status_code=201)
async def record_screening(
    child_id: uuid.UUID,
    body: ScreeningIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> HealthOut:
    act = permissions.care.HEALTH_RECORD
    child = await child_for(session, principal, child_id, act)
    screening = domain.record_screening(
        child,
        kind=body.kind,
        screened_on=body.screened_on,
        findings=body.findings,
        by=principal.username,
        today=clock.today(),
    )
    await repository.add_all(session, [screening])
    await record_write(session, principal, child, act, operation="health.screening")
    return await health_of(session, child)


@router.post("/children/{child_id}/health/mental-health-referrals", status_code=201)
async def refer_to_mental_health(
    child_id: uuid.UUID,
    body: MentalHealthReferralIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> HealthOut:
    act = permissions.care.HEALTH_RECORD
    child = await child_for(session, principal, child_id, act)
    referral = domain.refer_to_mental_health(
        child,
        service=body.service,
        referred_on=body.referred_on,
        reason=body.reason,
        by=principal.username,
        today=clock.today(),
    )
    await repository.add_all(session, [referral])
    await record_write(session, principal, child, act, operation="health.mental-health-referral")
    return await health_of(session, child)


# --- education ----------------------------------------------------------------------------


@router.post("/education/batch")
async def education_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[EducationOut]:
    children = await readable_children(session, principal, body.child_ids, CarePart.EDUCATION)
    ids = [child.id for child in children]
    education = await repository.education_by_child_ids(session, ids)
    await log_access(
        session, principal, ids, DataClass.PERSONAL, action="read", operation="education.read"
    )
    return ItemsOut[EducationOut](
        items=[EducationOut.model_validate(education[i]) for i in ids if i in education]
    )


@router.put("/children/{child_id}/education")
async def record_education(
    child_id: uuid.UUID,
    body: EducationIn,
    principal: Annotated[Principal, permitted(permissions.care.EDUCATION_RECORD)],
    session: UnitOfWork,
) -> EducationOut:
    """The child's school, class level, Norwegian level and start date, as they are now."""
    act = permissions.care.EDUCATION_RECORD
    child = await child_for(session, principal, child_id, act)
    education: Education = domain.record_education(
        child,
        await repository.get_education(session, child.id),
        school=body.school,
        class_level=body.class_level,
        norwegian_level=body.norwegian_level,
        started_on=body.started_on,
    )
    await repository.add_all(session, [education])
    await record_write(session, principal, child, act, operation="education.record")
    return EducationOut.model_validate(education)


# --- meetings -----------------------------------------------------------------------------


@router.post("/meetings/batch")
async def meetings_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[MeetingOut]]:
    """A page of meetings per child, the latest first."""
    children = await readable_children(session, principal, body.child_ids, CarePart.MEETINGS)
    ids = domain.child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.meeting_pages(session, ids, first=body.first, after=body.after)
    await log_access(
        session, principal, pages, DataClass.PERSONAL, action="read", operation="meetings.read"
    )
    return ItemsOut[ChildPageOut[MeetingOut]](
        items=[
            ChildPageOut[MeetingOut](
                child_id=child_id, page=pages[child_id].map(MeetingOut.model_validate)
            )
            for child_id in ids
            if child_id in pages
        ]
    )


@router.post("/children/{child_id}/meetings", status_code=201)
async def record_meeting(
    child_id: uuid.UUID,
    body: MeetingIn,
    principal: Annotated[Principal, permitted(permissions.care.MEETING_RECORD)],
    session: UnitOfWork,
) -> MeetingOut:
    """A meeting with the child; flagged when the child needs an interpreter and has none."""
    act = permissions.care.MEETING_RECORD
    child = await child_for(session, principal, child_id, act)
    interpreter = (
        domain.InterpreterInput(name=body.interpreter.name, qualified=body.interpreter.qualified)
        if body.interpreter
        else None
    )
    meeting: Meeting = domain.record_meeting(
        child,
        held_on=body.held_on,
        purpose=body.purpose,
        language=body.language,
        interpreter=interpreter,
        interpreter_is_a_child=(
            await repository.is_a_childs_name(session, interpreter.name) if interpreter else False
        ),
        by=principal.username,
    )
    await repository.add_all(session, [meeting])
    await record_write(session, principal, child, act, operation="meeting.record")
    return MeetingOut.model_validate(meeting)
