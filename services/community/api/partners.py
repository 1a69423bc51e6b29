"""Routes for partner organisations, registered once for the whole platform."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.partners import PartnerIn, PartnerOut
from services.community.service import partners

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/partners")
async def list_partners(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[PartnerOut]:
    """Every partner organisation on the platform (shared by all municipalities)."""
    page = await partners.list_partners(session, first=first, after=after)
    return page.map(PartnerOut.of)


@router.post("/partners", status_code=201)
async def register_partner(
    body: PartnerIn,
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_REGISTER)],
    session: UnitOfWork,
) -> PartnerOut:
    """Registers a partner, or returns it when another municipality already did."""
    partner = await partners.register_partner(session, principal=principal, body=body)
    return PartnerOut.of(partner)
