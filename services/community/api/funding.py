"""Routes for the municipality's funding applications to foundations."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.funding import (
    FundingDecisionIn,
    FundingIn,
    FundingOut,
    FundingTotalsOut,
)
from services.community.service import funding

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/funding-applications", status_code=201)
async def apply_for_funding(
    body: FundingIn,
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FundingOut:
    application = await funding.apply_for_funding(
        session, principal=principal, body=body, today=clock.today()
    )
    return FundingOut.of(application)


@router.post("/funding-applications/{application_id}/decision")
async def decide_funding(
    application_id: uuid.UUID,
    body: FundingDecisionIn,
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> FundingOut:
    """Records the foundation's decision."""
    application = await funding.decide_funding(
        session,
        principal=principal,
        application_id=application_id,
        body=body,
        today=clock.today(),
    )
    return FundingOut.of(application)


@router.get("/funding-applications")
async def list_funding_applications(
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_READ)],
    session: UnitOfWork,
    status: str | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[FundingOut]:
    page = await funding.list_funding_applications(session, status=status, first=first, after=after)
    return page.map(FundingOut.of)


@router.get("/funding-applications/totals")
async def funding_totals(
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_READ)],
    session: UnitOfWork,
) -> FundingTotalsOut:
    """The municipality's applications, and kroner applied for, pending, granted, rejected."""
    return FundingTotalsOut.of(*await funding.funding_totals(session, principal=principal))
