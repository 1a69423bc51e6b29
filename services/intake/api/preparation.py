"""Checklist and arrival routes (/v1/referrals/{id}/preparation, /arrival)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from havn.vocabulary import PreparationTaskKind
from services.intake import policy
from services.intake.schemas import ArrivalIn, ChildOut, ReferralOut, TaskEditIn
from services.intake.service import arrival, preparation

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/referrals/{referral_id}/preparation/{kind}/complete")
async def complete_preparation_task(
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await preparation.complete_preparation_task(
        session, principal=principal, referral_id=referral_id, kind=kind, clock=clock
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/preparation/{kind}/reopen")
async def reopen_preparation_task(
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await preparation.reopen_preparation_task(
        session, principal=principal, referral_id=referral_id, kind=kind
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.patch("/referrals/{referral_id}/preparation/{kind}")
async def edit_preparation_task(
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
    body: TaskEditIn,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Gives a task an owner from the municipality's staff, and notes."""
    referral = await preparation.edit_preparation_task(
        session, principal=principal, referral_id=referral_id, kind=kind, body=body
    )
    return ReferralOut.of(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/arrival", status_code=201)
async def register_arrival(
    referral_id: uuid.UUID,
    body: ArrivalIn,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ChildOut:
    """Settles the child and tells every service, in the same transaction (outbox).

    Open checklist tasks do not hold the child back: they come back on the result.
    A retry of an arrival already registered answers as the first did and changes nothing.
    """
    record = await arrival.register_arrival(
        session, principal=principal, referral_id=referral_id, body=body, today=clock.today()
    )
    return ChildOut.of(record, principal, clock.today())
