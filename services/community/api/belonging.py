"""Routes for the belonging overview: who lacks belonging, and where places are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.belonging import ChildRefOut, PartnerEnrolmentsOut
from services.community.schemas.offers import OfferOut
from services.community.service import belonging

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/belonging/children-without")
async def children_without_belonging(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ChildRefOut]:
    """Children with neither an active leisure offer nor a mentor."""
    page = await belonging.children_without_belonging(
        session, principal=principal, first=first, after=after, today=clock.today()
    )
    return page.map(ChildRefOut.of)


@router.get("/belonging/partners")
async def enrolments_per_partner(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PartnerEnrolmentsOut]:
    """Active enrolments per partner with offers in the municipality."""
    rows = await belonging.enrolments_per_partner(session, today=clock.today())
    return ItemsOut[PartnerEnrolmentsOut](
        items=[PartnerEnrolmentsOut.of(partner, count) for partner, count in rows]
    )


@router.get("/belonging/free-offers")
async def offers_with_free_places(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[OfferOut]:
    page, enrolled = await belonging.offers_with_free_places(
        session, first=first, after=after, today=clock.today()
    )
    return page.map(lambda offer: OfferOut.of(offer, enrolled))
