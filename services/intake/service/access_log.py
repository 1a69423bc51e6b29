"""The access log of a child, as the admin of its municipality reads it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import AccessFilter, AccessLogEntry, list_access
from havn.auth import Principal
from havn.errors import InvalidInput, NotFound
from havn.pagination import Page
from services.intake import repository


async def read_access_log(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    only: AccessFilter,
    first: int,
    after: str | None,
) -> Page[AccessLogEntry]:
    """Everything read or written about one child in the admin's municipality; `only` narrows
    it to days (both included), an actor and a data class."""
    if only.since is not None and only.until is not None and only.until < only.since:
        raise InvalidInput("the last day comes before the first", field="until")
    if not await repository.child_subject_exists(session, child_id):
        raise NotFound("no such child")
    return await list_access(session, child_id=child_id, first=first, after=after, only=only)
