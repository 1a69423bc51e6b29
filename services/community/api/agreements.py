"""Routes for partnership agreements between the municipality and a partner."""

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
from services.community.schemas.partners import AgreementIn, AgreementOut
from services.community.service import agreements

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/agreements")
async def list_agreements(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[AgreementOut]:
    """The municipality's agreements; a partner sees its own."""
    page = await agreements.list_agreements(session, principal=principal, first=first, after=after)
    today = clock.today()
    return page.map(lambda agreement: AgreementOut.of(agreement, today))


@router.post("/agreements", status_code=201)
async def create_agreement(
    body: AgreementIn,
    principal: Annotated[Principal, permitted(permissions.community.AGREEMENT_MAKE)],
    session: UnitOfWork,
    clock: Today,
) -> AgreementOut:
    """A partnership agreement between the caller's municipality and a partner."""
    agreement = await agreements.create_agreement(session, principal=principal, body=body)
    return AgreementOut.of(agreement, clock.today())
