"""Referral use cases: the directorate refers a minor to a municipality, which accepts or
declines; the directorate withdraws one still pending."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.db import act_in_tenant
from havn.errors import InvalidInput, NotFound
from havn.events.contracts import (
    Contract,
    ReferralAcceptedV1,
    ReferralCreatedV1,
    ReferralDeclinedV1,
    ReferralWithdrawnV1,
)
from havn.pagination import Page
from services.intake import events, repository
from services.intake.domain import capacity, referrals
from services.intake.models import Referral
from services.intake.schemas import AcceptReferralIn, CreateReferralIn, ReasonIn
from services.intake.service.staff import note_acting_staff_member


async def load_referral(
    session: AsyncSession, referral_id: uuid.UUID, *, for_update: bool = True
) -> Referral:
    """A referral of the caller's municipality (row-level security), locked for a change."""
    referral = await repository.get_referral(session, referral_id, for_update=for_update)
    if referral is None:
        raise NotFound("no such referral")
    return referral


async def record_minor_read(
    session: AsyncSession, principal: Principal, found: Sequence[Referral], operation: str
) -> None:
    """Reading a referral's minor facts is reading that child's personal data (municipal staff
    only see them, and only their own municipality's referrals)."""
    if principal.is_municipal and principal.cleared_for(DataClass.PERSONAL):
        await events.changes.record_read(
            session,
            principal,
            child_ids=[referral.child_id for referral in found],
            data_class=DataClass.PERSONAL,
            operation=operation,
        )


async def record_referral_change(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    operation: str,
    event: Contract | None = None,
) -> None:
    """A change to a referral is a write of its minor's personal data, logged (and announced,
    with `event`) in the municipality the referral was made to."""
    await events.changes.record_change(
        session,
        principal,
        tenant=referral.tenant_id,
        child_ids=[referral.child_id],
        data_class=DataClass.PERSONAL,
        operation=operation,
        event=event,
    )


async def create_referral(
    session: AsyncSession, *, principal: Principal, body: CreateReferralIn, today: date
) -> Referral:
    """Allocates a minor to a municipality (the directorate's phase 1)."""
    if await repository.get_municipality(session, body.municipality) is None:
        raise InvalidInput(f"municipality {body.municipality} is not on Havn", field="municipality")
    new = referrals.check_new_referral(body.new_referral(), today=today)
    referral = referrals.open_referral(new, created_by=principal.subject)
    await act_in_tenant(session, referral.tenant_id)
    session.add(referral)
    await session.flush()
    await repository.count_pending(session, referral, was=None)
    await record_referral_change(
        session,
        principal,
        referral,
        "referral.create",
        ReferralCreatedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            respond_by=referral.respond_by,
        ),
    )
    return referral


@dataclass(frozen=True, kw_only=True)
class ReferralSearch:
    """Which referrals a list shows, in which order."""

    where: repository.ReferralFilter
    descending: bool = False


async def list_referrals(
    session: AsyncSession,
    *,
    principal: Principal,
    search: ReferralSearch,
    today: date,
    first: int,
    after: str | None,
) -> Page[Referral]:
    """Referrals the caller may see, filtered and sorted by respond-by date."""
    where = search.where
    if where.arrival_from and where.arrival_to and where.arrival_from > where.arrival_to:
        raise InvalidInput("the arrival window ends before it starts", field="arrival_to")
    page = await repository.list_referrals(
        session, where=where, today=today, descending=search.descending, first=first, after=after
    )
    await record_minor_read(session, principal, page.items, "referral.list")
    return page


async def referrals_by_ids(
    session: AsyncSession, *, principal: Principal, ids: Sequence[uuid.UUID]
) -> Sequence[Referral]:
    """Many referrals in one call; ones the caller may not see are simply absent."""
    found = await repository.referrals_by_ids(session, ids)
    await record_minor_read(session, principal, found, "referral.read")
    return found


async def accept_referral(
    session: AsyncSession,
    *,
    principal: Principal,
    referral_id: uuid.UUID,
    body: AcceptReferralIn,
    today: date,
) -> Referral:
    """Accepts a referral, reserves a care place and opens the preparation checklist."""
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    was = referral.status
    tasks = referrals.accept_referral(
        referral,
        planned_arrival=body.planned_arrival,
        care_arrangement=body.care_arrangement,
        today=today,
    )
    places = await repository.get_care_places(
        session, referral.tenant_id, body.care_arrangement.value, for_update=True
    )
    referral.care_place_reserved = capacity.reserve_care_place(places, body.care_arrangement)
    referral.tasks.extend(tasks)
    await repository.count_pending(session, referral, was=was)
    await record_referral_change(
        session,
        principal,
        referral,
        "referral.accept",
        ReferralAcceptedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            planned_arrival=body.planned_arrival,
            care_arrangement=body.care_arrangement.value,
        ),
    )
    await session.flush()
    return referral


async def decline_referral(
    session: AsyncSession, *, principal: Principal, referral_id: uuid.UUID, body: ReasonIn
) -> Referral:
    """The municipality says no to a referral, with a reason."""
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    was = referral.status
    referrals.decline_referral(referral, reason=body.reason)
    await repository.count_pending(session, referral, was=was)
    await record_referral_change(
        session,
        principal,
        referral,
        "referral.decline",
        ReferralDeclinedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            reason=referral.decline_reason,
        ),
    )
    await session.flush()
    return referral


async def withdraw_referral(
    session: AsyncSession, *, principal: Principal, referral_id: uuid.UUID, body: ReasonIn
) -> Referral:
    """The allocator who made a referral takes it back while it is still pending."""
    # Row-level security shows an allocator only the referrals it created.
    referral = await load_referral(session, referral_id)
    was = referral.status
    referrals.withdraw_referral(referral, reason=body.reason)
    await act_in_tenant(session, referral.tenant_id)
    await repository.count_pending(session, referral, was=was)
    await record_referral_change(
        session,
        principal,
        referral,
        "referral.withdraw",
        ReferralWithdrawnV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            reason=body.reason.strip(),
        ),
    )
    await session.flush()
    return referral
