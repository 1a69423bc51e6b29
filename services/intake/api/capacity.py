"""Capacity routes (/v1/capacity): settlement decisions, care places, pending referrals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from havn.vocabulary import CareArrangement
from services.intake import policy
from services.intake.schemas import CapacityOut, CarePlacesIn, SettlementDecisionIn
from services.intake.service import capacity

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/capacity")
async def list_capacity(
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_READ)],
    session: UnitOfWork,
    clock: Today,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[CapacityOut]:
    """Capacity beside pending referrals: every municipality for the allocator, else one's own."""
    page = await capacity.list_capacity(
        session, principal=principal, year=year, clock=clock, first=first, after=after
    )
    return page.map(CapacityOut.of)


@router.put("/capacity/decisions/{year}")
async def record_settlement_decision(
    year: int,
    body: SettlementDecisionIn,
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> CapacityOut:
    """Records (or corrects) how many minors the municipality will settle in a year."""
    figures = await capacity.record_settlement_decision(
        session, principal=principal, year=year, minors=body.minors, clock=clock
    )
    return CapacityOut.of(figures)


@router.put("/capacity/care-places/{care_arrangement}")
async def record_care_places(
    care_arrangement: CareArrangement,
    body: CarePlacesIn,
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> CapacityOut:
    """Records how many places of one arrangement type there are, and how many are free."""
    figures = await capacity.record_care_places(
        session, principal=principal, care_arrangement=care_arrangement, body=body, clock=clock
    )
    return CapacityOut.of(figures)
