"""Internal REST routes of the transition service (/v1), called by the gateway with a token."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from havn.audit import record_access
from havn.auth import DataClass, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.http import UnitOfWork
from havn.pagination import MAX_PAGE_SIZE
from services.transition import domain, repository

SERVICE = "transition"
T = TypeVar("T")
router = APIRouter(prefix="/v1")

# A transition record is personal data; contact persons will follow their own children's
# once assignment exists, so for now only these roles see any.
TRANSITION_READERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})


# --- wire models --------------------------------------------------------------------------


class ChildIdsIn(BaseModel):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class OutcomeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    milestone_years: int
    status: domain.OutcomeStatus
    recorded_on: date


class TransitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    child_id: uuid.UUID
    plan_opens_on: date
    aftercare_decision: str | None
    outcomes: list[OutcomeOut]


class ItemsOut(BaseModel, Generic[T]):
    items: list[T]


# --- transitions --------------------------------------------------------------------------


@router.post("/transitions/batch")
async def transitions_by_child_ids(
    body: ChildIdsIn, principal: CurrentPrincipal, session: UnitOfWork
) -> ItemsOut[TransitionOut]:
    """Loads many children's transitions in one call; ones the caller may not see are absent."""
    if not principal.has_any_role(TRANSITION_READERS) or principal.tenant is None:
        return ItemsOut[TransitionOut](items=[])
    transitions = await repository.transitions_by_child_ids(session, body.child_ids)
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[t.child_id for t in transitions],
        data_class=DataClass.PERSONAL,
        action="read",
        operation="transition.read",
    )
    return ItemsOut[TransitionOut](items=[TransitionOut.model_validate(t) for t in transitions])
