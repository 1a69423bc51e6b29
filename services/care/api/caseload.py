"""The caseload route: the caller's children and the backlog, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE
from havn.permissions.route import permitted
from havn.vocabulary import CaseloadFilter
from services.care import policy, schemas
from services.care.schemas import CaseloadOut
from services.care.service import caseload

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.get("/caseload")
async def read_caseload(
    principal: Annotated[Principal, permitted(permissions.care.PLAN_STATUS_READ)],
    session: UnitOfWork,
    clock: Today,
    filter: CaseloadFilter = CaseloadFilter.ALL,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> CaseloadOut:
    """The caller's children (a contact person's: those assigned to them) and the backlog."""
    today = clock.today()
    page, counts = await caseload.read_caseload(
        session, principal=principal, filter=filter, first=first, after=after, today=today
    )
    return schemas.present_caseload(page, counts, today)
