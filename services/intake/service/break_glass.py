"""Breaking the glass: a user opens a child beyond their reach for a while, with a reason, and
the admin of the child's municipality reviews who opened whom."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import OpenedChild
from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.db import act_in_tenant
from havn.events.contracts.intake import BreakGlassOpenedV1
from havn.pagination import Page
from havn.permissions import require_tenant
from havn.reach import note_opened_child
from services.intake import events, policy, repository
from services.intake.domain import break_glass
from services.intake.models import BreakGlassAccess
from services.intake.repository import ReviewedAccess
from services.intake.service.staff import note_acting_staff_member


async def break_the_glass(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    reason: str,
    lasts: timedelta,
    clock: Clock,
) -> BreakGlassAccess:
    """Opens a child beyond the caller's reach for `lasts`, with a reason. Recorded and
    announced in the municipality the child lives in, whose log marks every read the caller
    makes of it until the access expires."""
    await note_acting_staff_member(session, principal)
    tenant = require_tenant(principal)
    reason = break_glass.reason_for_breaking_glass(reason)
    lives_in = await policy.where_openable_child_lives(session, principal, tenant, child_id)
    access = break_glass.break_the_glass(
        child_id=child_id,
        lives_in=lives_in,
        username=principal.username,
        role=principal.primary_role,
        opened_in=tenant,
        reason=reason,
        now=clock.now(),
        lasts=lasts,
    )
    # Row-level security lets the transaction write only where it is bound: the child's.
    await act_in_tenant(session, lives_in)
    session.add(access)
    await session.flush()
    # Marked opened before the write is logged, so that the log names the access.
    note_opened_child(access.child_id, OpenedChild(access_id=access.id, lives_in=lives_in))
    await events.changes.record_change(
        session,
        principal,
        tenant=lives_in,
        child_ids=[access.child_id],
        data_class=DataClass.BASIC,
        operation="break-glass.open",
        event=BreakGlassOpenedV1(
            access_id=access.id,
            child_id=access.child_id,
            username=access.username,
            lives_in=lives_in,
            opened_in=tenant,
            expires_at=access.expires_at,
        ),
    )
    await act_in_tenant(session, tenant)
    return access


async def list_break_glass_accesses(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None
) -> Page[ReviewedAccess]:
    """The accesses to the admin's municipality's children, newest first, for review."""
    page = await repository.list_break_glass_accesses(
        session, lives_in=require_tenant(principal), first=first, after=after
    )
    # The list names children and why they were opened: reading it is logged like a read.
    await events.changes.record_read(
        session,
        principal,
        child_ids=[reviewed.access.child_id for reviewed in page.items],
        data_class=DataClass.BASIC,
        operation="break-glass.list",
    )
    return page
