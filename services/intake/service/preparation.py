"""Preparation use cases: working the checklist an accepted referral opens."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.clock import Clock
from havn.vocabulary import PreparationTaskKind
from services.intake import repository
from services.intake.domain import preparation
from services.intake.models import Referral
from services.intake.schemas import TaskEditIn
from services.intake.service.referrals import load_referral, record_referral_change
from services.intake.service.staff import note_acting_staff_member


async def record_checklist_change(
    session: AsyncSession, principal: Principal, referral: Referral, operation: str
) -> Referral:
    """A checklist change is a write of the child's personal data; others are not told."""
    await record_referral_change(session, principal, referral, operation)
    await session.flush()
    return referral


async def complete_preparation_task(
    session: AsyncSession,
    *,
    principal: Principal,
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
    clock: Clock,
) -> Referral:
    """Marks one checklist task done."""
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    task = preparation.task_of(referral, kind)
    preparation.complete_task(referral, task, by=principal.username, now=clock.now())
    return await record_checklist_change(session, principal, referral, "preparation.complete")


async def reopen_preparation_task(
    session: AsyncSession,
    *,
    principal: Principal,
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
) -> Referral:
    """Marks a task not done again (it turned out not to be)."""
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    preparation.reopen_task(referral, preparation.task_of(referral, kind))
    return await record_checklist_change(session, principal, referral, "preparation.reopen")


async def edit_preparation_task(
    session: AsyncSession,
    *,
    principal: Principal,
    referral_id: uuid.UUID,
    kind: PreparationTaskKind,
    body: TaskEditIn,
) -> Referral:
    """Gives a task an owner from the municipality's staff (the caller among them), and notes."""
    await note_acting_staff_member(session, principal)
    referral = await load_referral(session, referral_id)
    staff = await repository.staff_usernames(session, referral.tenant_id)
    preparation.edit_task(referral, preparation.task_of(referral, kind), body.edit(), staff=staff)
    return await record_checklist_change(session, principal, referral, "preparation.edit")
