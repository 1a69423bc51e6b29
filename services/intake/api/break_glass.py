"""Break the glass (/v1/break-glass): open a child beyond one's reach for a while, with a reason,
and the list the admin of the child's municipality reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.intake import policy
from services.intake.schemas import BreakGlassAccessOut, BreakGlassIn
from services.intake.service import break_glass

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
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
    access = await break_glass.break_the_glass(
        session,
        principal=principal,
        child_id=body.child_id,
        reason=body.reason,
        lasts=timedelta(minutes=request.app.state.settings.break_glass_minutes),
        clock=clock,
    )
    return BreakGlassAccessOut.of(access, reads=0, now=access.opened_at)


@router.get("/break-glass")
async def list_break_glass_accesses(
    principal: Annotated[Principal, permitted(permissions.intake.BREAK_GLASS_REVIEW)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[BreakGlassAccessOut]:
    """The accesses to the admin's municipality's children, newest first, for review."""
    page = await break_glass.list_break_glass_accesses(
        session, principal=principal, first=first, after=after
    )
    now = clock.now()
    return page.map(lambda seen: BreakGlassAccessOut.of(seen.access, reads=seen.reads, now=now))
