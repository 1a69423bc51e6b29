"""A partner's view of children: the basic profile of those its grants let it see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.pagination import Page
from havn.reach import EVERY_CHILD
from services.community import events
from services.community.domain.grants import GRANT_SCOPE, GrantedChild
from services.community.repository import children, grants
from services.community.service.grants import visible_children_of_partner
from services.community.service.partners import callers_partner


async def partner_children_by_ids(
    session: AsyncSession, *, principal: Principal, ids: Sequence[uuid.UUID], today: date
) -> list[GrantedChild]:
    """The basic profile of the children a grant to the caller's organisation lets it see."""
    partner = await callers_partner(session, principal)
    if partner is None:
        return []
    granted = await visible_children_of_partner(session, partner, list(ids), today)
    found = list(await children.children_by_ids(session, list(granted), reach=EVERY_CHILD))
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id for child in found],
        data_class=DataClass.BASIC,
        operation="community.partner.child.read",
    )
    return [GrantedChild(child, partner, granted[child.id]) for child in found]


async def partner_children(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None, today: date
) -> Page[GrantedChild]:
    """Every child the caller's organisation may see in the chosen municipality."""
    partner = await callers_partner(session, principal)
    if partner is None:
        return Page.empty()
    page = await grants.granted_children(
        session,
        partner_id=partner.id,
        scope=GRANT_SCOPE,
        today=today,
        first=first,
        after=after,
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id for child in page.items],
        data_class=DataClass.BASIC,
        operation="community.partner.child.list",
    )
    granted = await visible_children_of_partner(
        session, partner, [child.id for child in page.items], today
    )
    return page.map(lambda child: GrantedChild(child, partner, granted[child.id]))
