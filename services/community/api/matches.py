"""Routes for matches of children and volunteers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.matches import MatchIn, MatchOut
from services.community.service import matches

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/matches", status_code=201)
async def match_volunteer(
    body: MatchIn,
    principal: Annotated[Principal, permitted(permissions.community.MATCH)],
    session: UnitOfWork,
    clock: Today,
) -> MatchOut:
    """Matches a consenting child with a volunteer whose police certificate is valid."""
    today = clock.today()
    match, limit = await matches.match_volunteer(
        session, principal=principal, body=body, today=today, now=clock.now()
    )
    return MatchOut.of(match, today=today, limit_months=limit)


@router.post("/matches/{match_id}/end")
async def end_match(
    match_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.MATCH_END)],
    session: UnitOfWork,
    clock: Today,
) -> MatchOut:
    today = clock.today()
    match, limit = await matches.end_match(
        session, principal=principal, match_id=match_id, today=today, now=clock.now()
    )
    return MatchOut.of(match, today=today, limit_months=limit)


@router.get("/matches")
async def list_matches(
    principal: Annotated[Principal, permitted(permissions.community.MATCHES_READ)],
    session: UnitOfWork,
    clock: Today,
    child_id: uuid.UUID | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[MatchOut]:
    """The municipality's matches; a partner sees its own volunteers' (children per grant)."""
    today = clock.today()
    page, limit, visible = await matches.list_matches(
        session, principal=principal, child_id=child_id, first=first, after=after, today=today
    )
    return page.map(
        lambda m: MatchOut.of(m, today=today, limit_months=limit, visible_children=visible)
    )
