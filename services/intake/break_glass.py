"""Break the glass (/v1/break-glass): open a child beyond one's reach for a while, with a reason,
and the list the admin of the child's municipality reviews."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from havn import permissions
from havn.audit import OpenedChild, record_access
from havn.auth import DataClass, Principal
from havn.db import act_in_tenant
from havn.events.contracts.intake import BreakGlassOpenedV1
from havn.events.outbox import publish
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions import require_tenant
from havn.permissions.route import permitted
from havn.reach import note_opened_child
from havn.text import Paragraphs
from services.intake import domain, policy, repository
from services.intake.models import BreakGlassAccess, events

SERVICE = "intake"

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


class BreakGlassIn(BaseModel):
    child_id: uuid.UUID
    reason: Annotated[str, Paragraphs(1000)]


class BreakGlassAccessOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    # Where the child lives, and where the user who opened it acts.
    municipality: str
    opened_in: str
    username: str
    role: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    active: bool
    # Access-log entries of reads made under the access.
    reads: int


def present_access(access: BreakGlassAccess, *, reads: int, now: datetime) -> BreakGlassAccessOut:
    return BreakGlassAccessOut(
        id=access.id,
        child_id=access.child_id,
        municipality=access.tenant_id,
        opened_in=access.opened_in,
        username=access.username,
        role=access.role,
        reason=access.reason,
        opened_at=access.opened_at,
        expires_at=access.expires_at,
        active=access.expires_at > now,
        reads=reads,
    )


@router.post("/break-glass", status_code=201)
async def break_the_glass(
    body: BreakGlassIn,
    principal: Annotated[Principal, permitted(permissions.intake.BREAK_GLASS)],
    session: UnitOfWork,
    clock: Today,
    request: Request,
) -> BreakGlassAccessOut:
    """Opens a child beyond the caller's reach for a while (HAVN_BREAK_GLASS_MINUTES), with a
    reason. Recorded and announced in the municipality the child lives in, whose log marks
    every read the caller makes of it until the access expires."""
    tenant = require_tenant(principal)
    reason = domain.reason_for_breaking_glass(body.reason)
    lives_in = await policy.where_openable_child_lives(session, principal, tenant, body.child_id)
    now = clock.now()
    access = domain.break_the_glass(
        child_id=body.child_id,
        lives_in=lives_in,
        username=principal.username,
        role=principal.primary_role,
        opened_in=tenant,
        reason=reason,
        now=now,
        lasts=timedelta(minutes=request.app.state.settings.break_glass_minutes),
    )
    # Row-level security lets the transaction write only where it is bound: the child's.
    await act_in_tenant(session, lives_in)
    session.add(access)
    await session.flush()
    await publish(
        session,
        BreakGlassOpenedV1(
            access_id=access.id,
            child_id=access.child_id,
            username=access.username,
            lives_in=lives_in,
            opened_in=tenant,
            expires_at=access.expires_at,
        ),
        tenant=lives_in,
        actor=principal.username,
        outbox=events.outbox,
    )
    note_opened_child(access.child_id, OpenedChild(access_id=access.id, lives_in=lives_in))
    await record_access(
        session,
        principal,
        service=SERVICE,
        tenant=lives_in,
        child_ids=[access.child_id],
        data_class=DataClass.BASIC,
        action="write",
        operation="break-glass.open",
    )
    await act_in_tenant(session, tenant)
    return present_access(access, reads=0, now=now)


@router.get("/break-glass")
async def list_break_glass_accesses(
    principal: Annotated[Principal, permitted(permissions.intake.BREAK_GLASS_REVIEW)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[BreakGlassAccessOut]:
    """The accesses to the admin's municipality's children, newest first, for review."""
    tenant = require_tenant(principal)
    page = await repository.list_break_glass_accesses(
        session, lives_in=tenant, first=first, after=after
    )
    # The list names children and why they were opened: reading it is logged like a read.
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[reviewed.access.child_id for reviewed in page.items],
        data_class=DataClass.BASIC,
        action="read",
        operation="break-glass.list",
    )
    now = clock.now()
    return page.map(lambda reviewed: present_access(reviewed.access, reads=reviewed.reads, now=now))
