"""Partners' grants: which children a partner may see today, and the admin's oversight."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.events.contracts.base import Contract
from havn.pagination import Page
from services.community import events, policy
from services.community.domain.grants import GRANT_SCOPE
from services.community.models import AccessGrant, Base, Enrolment, Match, Partner
from services.community.repository import grants


async def visible_children_of_partner(
    session: AsyncSession, partner: Partner, child_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, date | None]:
    """The children a grant to the partner lets it see today, with the day access ends."""
    return await grants.granted_child_ids(
        session, partner_id=partner.id, child_ids=child_ids, scope=GRANT_SCOPE, today=today
    )


async def log_listed_children(
    session: AsyncSession,
    principal: Principal,
    *,
    partner: Partner | None,
    child_ids: list[uuid.UUID],
    today: date,
    operation: str,
) -> set[uuid.UUID] | None:
    """Logs the read of the children a list shows the caller: staff see every one, a partner
    those a grant lets it see today (returned, for the list to show; None for staff)."""
    visible = (
        set(await visible_children_of_partner(session, partner, child_ids, today))
        if partner
        else None
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child_id for child_id in child_ids if visible is None or child_id in visible],
        data_class=DataClass.BASIC,
        operation=operation,
    )
    return visible


async def save_with_grant(
    session: AsyncSession,
    principal: Principal,
    *,
    record: Base,
    grant: AccessGrant,
    partner: Partner,
    operation: str,
    event: Contract,
) -> None:
    """Saves what opens a partner's access to a child (an enrolment, a match) with its
    grant: the change is logged and announced, and so is the grant, in one transaction."""
    session.add(record)
    session.add(grant)
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=grant.tenant_id,
        child_ids=[grant.child_id],
        data_class=DataClass.BASIC,
        operation=operation,
        event=event,
    )
    opened = events.grant_opened(grant, partner)
    await events.changes.announce(session, opened, tenant=grant.tenant_id, actor=principal.username)


async def end_with_grants(
    session: AsyncSession,
    principal: Principal,
    *,
    record: Enrolment | Match,
    operation: str,
    event: Contract,
    reason: str,
    now: datetime,
) -> None:
    """Records the end of what opened a partner's access (an enrolment, a match), logged
    and announced, and closes the grants it opened, in one transaction."""
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=record.tenant_id,
        child_ids=[record.child_id],
        data_class=DataClass.BASIC,
        operation=operation,
        event=event,
    )
    await events.close_grants(
        session,
        await grants.open_grants_for_source(session, record.id),
        now=now,
        reason=reason,
        actor=principal.username,
    )


async def list_grants(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> Page[AccessGrant]:
    """Partners' grants in the municipality, newest first (the admin's oversight)."""
    page = await grants.list_grants(
        session, reach=policy.grant_reach(principal), child_id=child_id, first=first, after=after
    )
    # A grant names the child it opens: listing grants reads which children partners reach.
    await events.changes.record_read(
        session,
        principal,
        child_ids=[grant.child_id for grant in page.items],
        data_class=DataClass.BASIC,
        operation="community.grants.list",
    )
    return page
