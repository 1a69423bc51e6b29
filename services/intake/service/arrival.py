"""The arrival use case: the child comes, is settled, and every service hears of it."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.clock import NORWAY
from havn.vocabulary import ReferralStatus
from services.intake import events, repository
from services.intake.domain import arrival, preparation
from services.intake.domain.children import ChildRecord
from services.intake.schemas import ArrivalIn
from services.intake.service.referrals import load_referral
from services.intake.service.staff import note_acting_staff_member


async def register_arrival(
    session: AsyncSession,
    *,
    principal: Principal,
    referral_id: uuid.UUID,
    body: ArrivalIn,
    today: date,
) -> ChildRecord:
    """Settles the child and tells every service, in the same transaction (outbox).

    Open checklist tasks do not hold the child back: they come back with the child.
    A retry of an arrival already registered answers as the first did and changes nothing.
    """
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    if referral.status == ReferralStatus.ARRIVED:
        settled = await repository.get_child(session, referral.child_id)
        if settled is not None and arrival.repeats_arrival(
            referral, settled, arrived_on=body.arrived_on
        ):
            await events.changes.record_read(
                session,
                principal,
                child_ids=[settled.id],
                data_class=DataClass.PERSONAL,
                operation="child.settle",
            )
            return ChildRecord(settled, preparation.open_tasks(referral))
    was = referral.status
    child = arrival.register_arrival(
        referral,
        arrived_on=body.arrived_on,
        referred_on=referral.created_at.astimezone(NORWAY).date(),
        today=today,
    )
    session.add(child)
    await session.flush()
    await repository.count_pending(session, referral, was=was)
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="child.settle",
        event=events.child_settled(child, referral),
    )
    return ChildRecord(child, preparation.open_tasks(referral))
