"""What the child, asked, says it would like to do (seed 002: ask the youth)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from services.community import events
from services.community.domain.children import set_interests
from services.community.schemas.children import InterestsIn
from services.community.service.children import ChildrenInCommunity, child_in_community, find_child


async def set_child_interests(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: InterestsIn,
    today: date,
) -> ChildrenInCommunity:
    """Records the child's interests; returns the child with its enrolments."""
    child = await find_child(session, child_id, for_update=True)
    set_interests(child, interests=body.interests)
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.BASIC,
        operation="community.interests.set",
    )
    return await child_in_community(session, child, today=today)
