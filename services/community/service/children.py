"""Children as community knows them: their interests and enrolments, as staff or a partner
may see them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.errors import NotFound
from havn.reach import EVERY_CHILD
from services.community import events
from services.community.models import Child, Partner
from services.community.repository import children, enrolments
from services.community.service.grants import visible_children_of_partner
from services.community.service.partners import callers_partner, is_partner, staff_or_partner_reach


@dataclass(frozen=True)
class ChildrenInCommunity:
    """Children with their enrolments, the places their offers have taken, and for a partner
    its organisation and the children its grants let it see."""

    children: Sequence[Child]
    enrolled: dict[uuid.UUID, int]
    partner: Partner | None = None
    visible: set[uuid.UUID] | None = None


async def find_child(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Child:
    """A child of the caller's municipality, or not found."""
    child = await children.get_child(session, child_id, for_update=for_update)
    if child is None:
        raise NotFound("no such child")
    return child


async def in_community(
    session: AsyncSession,
    found: Sequence[Child],
    *,
    today: date,
    partner: Partner | None = None,
    visible: set[uuid.UUID] | None = None,
) -> ChildrenInCommunity:
    """The children with the places taken today in the offers they are enrolled in."""
    offer_ids = list({e.offer_id for child in found for e in child.enrolments})
    enrolled = await enrolments.active_enrolment_counts(session, offer_ids, today=today)
    return ChildrenInCommunity(found, enrolled, partner, visible)


async def children_in_community(
    session: AsyncSession, *, principal: Principal, child_ids: Sequence[uuid.UUID], today: date
) -> ChildrenInCommunity:
    """Many children's interests and enrolments in one call; unseen children are absent.

    A partner gets only children its grants let it see, with its own offers' enrolments.
    """
    partner: Partner | None = None
    wanted = list(child_ids)
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return ChildrenInCommunity([], {})
        wanted = list(await visible_children_of_partner(session, partner, wanted, today))
    reach = staff_or_partner_reach(principal)
    if reach.nobody:
        return ChildrenInCommunity([], {})
    found = list(await children.children_by_ids(session, wanted, reach=reach))
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id for child in found],
        data_class=DataClass.BASIC,
        operation="community.read",
    )
    visible = {child.id for child in found} if partner else None
    return await in_community(session, found, today=today, partner=partner, visible=visible)


async def child_in_community(
    session: AsyncSession, child: Child, *, today: date
) -> ChildrenInCommunity:
    """One child, as municipal staff see it, with its enrolments loaded afresh."""
    found = list(await children.children_by_ids(session, [child.id], reach=EVERY_CHILD))
    return await in_community(session, found, today=today)
