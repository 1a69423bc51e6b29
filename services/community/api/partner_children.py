"""Routes for a partner's view of children: the basic profile its grants let it see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import IdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.children import PartnerChildOut
from services.community.service import partner_children as granted

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/partner/children/batch")
async def partner_children_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_VIEW)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PartnerChildOut]:
    """The basic profile of the children a grant to the caller's organisation lets it see."""
    today = clock.today()
    found = await granted.partner_children_by_ids(
        session, principal=principal, ids=body.ids, today=today
    )
    return ItemsOut[PartnerChildOut](items=[PartnerChildOut.of(g, today) for g in found])


@router.get("/partner/children")
async def partner_children(
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_VIEW)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[PartnerChildOut]:
    """Every child the caller's organisation may see in the chosen municipality."""
    today = clock.today()
    page = await granted.partner_children(
        session, principal=principal, first=first, after=after, today=today
    )
    return page.map(lambda g: PartnerChildOut.of(g, today))
