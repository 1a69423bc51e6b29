"""Internal REST routes of the care service (/v1), called by the gateway with the user's token."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from havn.audit import record_access
from havn.auth import DataClass
from havn.auth.dependencies import CurrentPrincipal
from havn.errors import Forbidden
from havn.http import UnitOfWork, require_tenant
from havn.pagination import MAX_PAGE_SIZE, Page, PageRequest
from services.care import domain, repository
from services.care.models import Assessment, CarePlan

SERVICE = "care"
T = TypeVar("T")
router = APIRouter(prefix="/v1")


# --- wire models --------------------------------------------------------------------------


class ChildIdsIn(BaseModel):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class FollowUpNotesIn(PageRequest):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class CareGoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    domain: str
    description: str
    review_on: date | None


class CarePlanOut(BaseModel):
    status: domain.CarePlanStatus
    # personal working detail: empty and null where the caller sees the status only
    goals: list[CareGoalOut]
    childs_own_words: str | None
    approved_on: date | None


class DomainScoreOut(BaseModel):
    domain: str
    score: int


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    assessed_on: date
    scores: list[DomainScoreOut]
    childs_own_words: str | None
    notes: str | None
    next_due_on: date


class ChildCareOut(BaseModel):
    child_id: uuid.UUID
    care_plan: CarePlanOut | None
    # confidential: null where the caller is not cleared
    assessments: list[AssessmentOut] | None
    next_assessment_due: date | None


class FollowUpNoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    written_at: datetime
    author: str
    text: str


class ChildFollowUpNotesOut(BaseModel):
    child_id: uuid.UUID
    page: Page[FollowUpNoteOut]


class ItemsOut(BaseModel, Generic[T]):
    items: list[T]


# --- presenters ---------------------------------------------------------------------------


def present_care(
    plan: CarePlan,
    visibility: domain.CareVisibility,
    assessments: dict[uuid.UUID, list[Assessment]] | None,
) -> ChildCareOut:
    """What the caller may see of one child's care; goals are loaded only when visible."""
    details = visibility.plan_details
    shown_assessments = None
    if assessments is not None:
        shown_assessments = [
            AssessmentOut.model_validate(assessment)
            for assessment in assessments.get(plan.child_id, [])
        ]
    return ChildCareOut(
        child_id=plan.child_id,
        care_plan=CarePlanOut(
            status=domain.CarePlanStatus(plan.status),
            goals=[CareGoalOut.model_validate(goal) for goal in plan.goals] if details else [],
            childs_own_words=plan.childs_own_words if details else None,
            approved_on=plan.approved_on,
        ),
        assessments=shown_assessments,
        next_assessment_due=plan.next_assessment_due,
    )


# --- care records -------------------------------------------------------------------------


@router.post("/care/batch")
async def care_by_child_ids(
    body: ChildIdsIn, principal: CurrentPrincipal, session: UnitOfWork
) -> ItemsOut[ChildCareOut]:
    """Loads many children's care in one call; children the caller may not see are absent."""
    visibility = domain.care_visibility(roles=principal.roles)
    if not visibility.plan_summary or principal.tenant is None:
        return ItemsOut[ChildCareOut](items=[])
    plans = await repository.care_plans_by_child_ids(
        session, body.child_ids, with_goals=visibility.plan_details
    )
    child_ids = [plan.child_id for plan in plans]
    assessments = (
        await repository.assessments_by_child_ids(session, child_ids)
        if visibility.assessments
        else None
    )
    for data_class in visibility.data_classes:
        await record_access(
            session,
            principal,
            service=SERVICE,
            child_ids=child_ids,
            data_class=data_class,
            action="read",
            operation="care.read",
        )
    return ItemsOut[ChildCareOut](
        items=[present_care(plan, visibility, assessments) for plan in plans]
    )


# --- follow-up notes ----------------------------------------------------------------------


@router.post("/follow-up-notes/batch")
async def follow_up_notes_by_child_ids(
    body: FollowUpNotesIn, principal: CurrentPrincipal, session: UnitOfWork
) -> ItemsOut[ChildFollowUpNotesOut]:
    """A page of notes per child, newest first, in the same statements for 1 or 200 children."""
    if not domain.may_read_follow_up_notes(roles=principal.roles):
        raise Forbidden("your role may not read follow-up notes")
    require_tenant(principal)
    child_ids = domain.follow_up_note_children(child_ids=body.child_ids, after=body.after)
    pages = await repository.follow_up_note_pages(
        session, child_ids, first=body.first, after=body.after
    )
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=list(pages),
        data_class=DataClass.CONFIDENTIAL,
        action="read",
        operation="follow-up-notes.read",
    )
    return ItemsOut[ChildFollowUpNotesOut](
        items=[
            ChildFollowUpNotesOut(
                child_id=child_id, page=pages[child_id].map(FollowUpNoteOut.model_validate)
            )
            for child_id in child_ids
            if child_id in pages
        ]
    )
