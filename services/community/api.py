"""Internal REST routes of the community service (/v1), called by the gateway with a token."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from havn.audit import record_access
from havn.auth import DataClass, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.auth.policy import MUNICIPAL_ROLES
from havn.clock import Clock
from havn.http import UnitOfWork
from havn.pagination import MAX_PAGE_SIZE
from services.community import domain, repository
from services.community.models import Child, Enrolment

SERVICE = "community"
T = TypeVar("T")
router = APIRouter(prefix="/v1")

# Contact persons see only the children assigned to them and partners only children with
# an active grant: neither assignment nor grants exist yet, so neither sees any child here.
COMMUNITY_READERS = MUNICIPAL_ROLES - {Role.CONTACT_PERSON}


def clock(request: Request) -> Clock:
    clock_: Clock = request.app.state.clock
    return clock_


Today = Annotated[Clock, Depends(clock)]


# --- wire models --------------------------------------------------------------------------


class ChildIdsIn(BaseModel):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    offer_id: uuid.UUID
    started_on: date
    ended_on: date | None
    active: bool


class ChildCommunityOut(BaseModel):
    child_id: uuid.UUID
    interests: list[str]
    enrolments: list[EnrolmentOut]


class ItemsOut(BaseModel, Generic[T]):
    items: list[T]


# --- presenters ---------------------------------------------------------------------------


def present_enrolment(enrolment: Enrolment, today: date) -> EnrolmentOut:
    return EnrolmentOut(
        id=enrolment.id,
        child_id=enrolment.child_id,
        offer_id=enrolment.offer_id,
        started_on=enrolment.started_on,
        ended_on=enrolment.ended_on,
        active=domain.enrolment_is_active(enrolment=enrolment, today=today),
    )


def present_child(child: Child, today: date) -> ChildCommunityOut:
    return ChildCommunityOut(
        child_id=child.id,
        interests=child.interests,
        enrolments=[present_enrolment(enrolment, today) for enrolment in child.enrolments],
    )


# --- children in the community --------------------------------------------------------------


@router.post("/enrolments/batch")
async def enrolments_by_child_ids(
    body: ChildIdsIn, principal: CurrentPrincipal, session: UnitOfWork, clock: Today
) -> ItemsOut[ChildCommunityOut]:
    """Loads many children's interests and enrolments in one call; unseen children are absent."""
    if not principal.has_any_role(COMMUNITY_READERS) or principal.tenant is None:
        return ItemsOut[ChildCommunityOut](items=[])
    children = await repository.children_by_ids(session, body.child_ids)
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[child.id for child in children],
        data_class=DataClass.BASIC,
        action="read",
        operation="community.read",
    )
    today = clock.today()
    return ItemsOut[ChildCommunityOut](items=[present_child(child, today) for child in children])
