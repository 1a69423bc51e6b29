"""The children a use case reaches: the one it acts on, and those a read returns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import NotFound
from havn.permissions import Permission
from services.care import policy, repository
from services.care.domain import parts
from services.care.domain.parts import CarePart
from services.care.models import Child


async def readable_children(
    session: AsyncSession, principal: Principal, child_ids: Sequence[uuid.UUID], part: CarePart
) -> list[Child]:
    """The children among these ids whose `part` the caller may read; others are absent."""
    reach = policy.part_reach(principal, part)
    if reach.nobody:
        return []
    return list(
        await repository.children_by_ids(session, list(dict.fromkeys(child_ids)), reach=reach)
    )


async def child_for(
    session: AsyncSession,
    principal: Principal,
    child_id: uuid.UUID,
    act: Permission,
    *,
    for_update: bool = False,
) -> Child:
    """The child an act is on, once the caller's roles allow that act on this child (the
    route's dependency has let them do it to some child)."""
    child = await repository.get_child(session, child_id, for_update=for_update)
    if child is None:
        raise NotFound("no such child")
    parts.require_act(
        permission=act, roles=principal.roles, assigned=policy.assigned_to(child, principal)
    )
    return child
