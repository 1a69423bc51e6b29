"""Routes reading transitions: many children's whole records, summaries and phases, and the
caseload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions, vocabulary
from havn.auth import Principal
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.transition import policy
from services.transition.schemas import (
    PhaseOut,
    TransitionCaseOut,
    TransitionOut,
    TransitionSummaryOut,
    present_case,
    present_phase,
    present_summary,
    present_transition,
)
from services.transition.service import transitions

router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)


@router.post("/transitions/batch")
async def transitions_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[TransitionOut]:
    """Loads many children's transitions in one call; ones the caller may not see are absent."""
    found = await transitions.transitions_by_child_ids(
        session, principal=principal, child_ids=body.child_ids
    )
    today = clock.today()
    return ItemsOut[TransitionOut](items=[present_transition(t, today) for t in found])


@router.post("/transitions/summaries/batch")
async def transition_summaries_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[TransitionSummaryOut]:
    """Many children's transition summaries in one call (one row each, no history): what a
    caseload shows. Ones the caller may not see are absent."""
    cases = await transitions.transition_summaries_by_child_ids(
        session, principal=principal, child_ids=body.child_ids
    )
    today = clock.today()
    return ItemsOut[TransitionSummaryOut](
        items=[present_summary(transition, child, today) for child, transition in cases]
    )


@router.post("/phases/batch")
async def phases_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PhaseOut]:
    """Many children's phases in one call, for every municipal role (basic data)."""
    cases = await transitions.phases_by_child_ids(
        session, principal=principal, child_ids=body.child_ids
    )
    today = clock.today()
    return ItemsOut[PhaseOut](
        items=[present_phase(child, transition, today) for child, transition in cases]
    )


@router.get("/transitions")
async def list_transitions(
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
    case_filter: Annotated[
        vocabulary.TransitionCaseloadFilter | None, Query(alias="filter")
    ] = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[TransitionCaseOut]:
    """The tenant's transition caseload, optionally narrowed to what needs attention."""
    today = clock.today()
    page = await transitions.list_transitions(
        session,
        principal=principal,
        case_filter=case_filter,
        today=today,
        first=first,
        after=after,
    )
    return page.map(lambda item: present_case(item[0], item[1], today))
