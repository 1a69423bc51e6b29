"""Routes for partners' offers in the municipality."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.offers import OfferIn, OfferOut
from services.community.service import offers

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/offers")
async def list_offers(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    clock: Today,
    kind: str | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[OfferOut]:
    """The municipality's offers, newest first; a partner sees its own organisation's."""
    page, enrolled = await offers.list_offers(
        session, principal=principal, kind=kind, first=first, after=after, today=clock.today()
    )
    return page.map(lambda offer: OfferOut.of(offer, enrolled))


@router.post("/offers", status_code=201)
async def create_offer(
    body: OfferIn,
    principal: Annotated[Principal, permitted(permissions.community.OFFER_CREATE)],
    session: UnitOfWork,
    clock: Today,
) -> OfferOut:
    """A partner's offer in the municipality; it needs an agreement in force today.

    A partner user may create offers for its own organisation only.
    """
    offer = await offers.create_offer(session, principal=principal, body=body, today=clock.today())
    return OfferOut.of(offer, {})
