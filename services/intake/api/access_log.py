"""The access-log route (/v1/access-log): what was read or written about one child."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.audit import AccessFilter, AccessLogEntry
from havn.auth import DataClass, Principal
from havn.http import UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.intake import policy
from services.intake.service import access_log

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/access-log")
async def read_access_log(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.ACCESS_LOG_READ)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
    since: date | None = None,
    until: date | None = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    data_class: DataClass | None = None,
) -> Page[AccessLogEntry]:
    """Everything read or written about one child in the admin's municipality; `since` and
    `until` (days, both included), `actor` and `data_class` narrow it."""
    only = AccessFilter(since=since, until=until, actor=actor, data_class=data_class)
    return await access_log.read_access_log(
        session, principal=principal, child_id=child_id, only=only, first=first, after=after
    )
