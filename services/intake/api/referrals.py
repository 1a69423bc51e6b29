"""Referral routes (/v1/referrals): the directorate refers, the municipality decides."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import IdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from havn.vocabulary import ReferralSort, ReferralStatus
from services.intake import policy, repository
from services.intake.schemas import AcceptReferralIn, CreateReferralIn, ReasonIn, ReferralOut
from services.intake.service import referrals

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/referrals", status_code=201)
async def create_referral(
    body: CreateReferralIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_CREATE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Allocates a minor to a municipality (the directorate's phase 1)."""
    referral = await referrals.create_referral(
        session, principal=principal, body=body, today=clock.today()
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.get("/referrals")
async def list_referrals(
    principal: Annotated[Principal, permitted(permissions.intake.REFERRALS_READ)],
    session: UnitOfWork,
    clock: Today,
    status: Annotated[list[ReferralStatus] | None, Query()] = None,
    overdue: bool | None = None,
    arrival_from: date | None = None,
    arrival_to: date | None = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    sort: ReferralSort = ReferralSort.RESPOND_BY_ASC,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ReferralOut]:
    """Referrals the caller may see, filtered and sorted by respond-by date."""
    today = clock.today()
    search = referrals.ReferralSearch(
        where=repository.ReferralFilter(
            statuses=[s.value for s in status] if status else None,
            overdue=overdue,
            arrival_from=arrival_from,
            arrival_to=arrival_to,
            municipality=municipality,
        ),
        descending=sort == ReferralSort.RESPOND_BY_DESC,
    )
    page = await referrals.list_referrals(
        session, principal=principal, search=search, today=today, first=first, after=after
    )
    return page.map(lambda referral: ReferralOut.of(referral, principal, today))


@router.post("/referrals/batch")
async def referrals_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRALS_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ReferralOut]:
    """Loads many referrals in one call; ones the caller may not see are simply absent."""
    found = await referrals.referrals_by_ids(session, principal=principal, ids=body.ids)
    today = clock.today()
    return ItemsOut[ReferralOut](items=[ReferralOut.of(r, principal, today) for r in found])


@router.post("/referrals/{referral_id}/accept")
async def accept_referral(
    referral_id: uuid.UUID,
    body: AcceptReferralIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Accepts a referral, reserves a care place and opens the preparation checklist."""
    referral = await referrals.accept_referral(
        session, principal=principal, referral_id=referral_id, body=body, today=clock.today()
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/decline")
async def decline_referral(
    referral_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await referrals.decline_referral(
        session, principal=principal, referral_id=referral_id, body=body
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/withdraw")
async def withdraw_referral(
    referral_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_WITHDRAW)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """The allocator who made a referral takes it back while it is still pending."""
    referral = await referrals.withdraw_referral(
        session, principal=principal, referral_id=referral_id, body=body
    )
    return ReferralOut.of(referral, principal, clock.today())
