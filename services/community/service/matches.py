"""Matches: a consenting child and a volunteer whose police certificate is valid; the
volunteer's partner sees the child while the match lasts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import InvalidInput, NotFound
from havn.pagination import Page
from havn.reach import EVERY_CHILD
from services.community import events, policy
from services.community.domain import matches as rules
from services.community.domain.agreements import active_agreement
from services.community.domain.consent import require_consent
from services.community.domain.volunteers import DEFAULT_POLICE_CERTIFICATE_MONTHS
from services.community.models import Match
from services.community.repository import agreements, matches, volunteers
from services.community.schemas.matches import MatchIn
from services.community.service.children import find_child
from services.community.service.grants import (
    end_with_grants,
    log_listed_children,
    save_with_grant,
)
from services.community.service.partners import callers_partner, is_partner
from services.community.service.settings import police_certificate_limit


async def match_volunteer(
    session: AsyncSession, *, principal: Principal, body: MatchIn, today: date, now: datetime
) -> tuple[Match, int]:
    """Matches a consenting child with a volunteer whose police certificate is valid.

    Returns the match and the municipality's police certificate limit."""
    require_consent(body.consent_given)
    child = await find_child(session, body.child_id, for_update=True)
    volunteer = await volunteers.get_volunteer(session, body.volunteer_id, for_update=True)
    if volunteer is None:
        raise InvalidInput("no such volunteer in your municipality", field="volunteer_id")
    agreement = active_agreement(
        await agreements.agreements_with(session, volunteer.partner_id),
        partner=volunteer.partner,
        today=today,
    )
    limit = await police_certificate_limit(session)
    match, grant = rules.match_volunteer(
        child=child,
        volunteer=volunteer,
        partner=volunteer.partner,
        agreement=agreement,
        already_matched=volunteer.id
        in await matches.volunteers_matched_with(session, child.id, today=today),
        consent_given=body.consent_given,
        limit_months=limit,
        by=principal.username,
        today=today,
        now=now,
    )
    match.volunteer = volunteer
    await save_with_grant(
        session,
        principal,
        record=match,
        grant=grant,
        partner=volunteer.partner,
        operation="community.match",
        event=events.match_made(match, volunteer),
    )
    return match, limit


async def end_match(
    session: AsyncSession,
    *,
    principal: Principal,
    match_id: uuid.UUID,
    today: date,
    now: datetime,
) -> tuple[Match, int]:
    """Ends the match today; the partner's grant closes with it.

    Returns the match and the municipality's police certificate limit."""
    match = await matches.get_match(session, match_id, for_update=True)
    if match is None or match.volunteer is None:
        raise NotFound("no such match")
    rules.end_match(match, today=today)
    await end_with_grants(
        session,
        principal,
        record=match,
        operation="community.match.end",
        event=events.match_ended(match, match.volunteer.partner, reason="ended"),
        reason="match ended",
        now=now,
    )
    return match, await police_certificate_limit(session)


async def list_matches(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID | None,
    first: int,
    after: str | None,
    today: date,
) -> tuple[Page[Match], int, set[uuid.UUID] | None]:
    """The municipality's matches; a partner sees its own volunteers' (children per grant).

    Returns the page, the police certificate limit, and for a partner the children it sees.
    """
    partner = await callers_partner(session, principal) if is_partner(principal) else None
    if is_partner(principal) and partner is None:
        return Page.empty(), DEFAULT_POLICE_CERTIFICATE_MONTHS, None
    page = await matches.list_matches(
        session,
        reach=EVERY_CHILD if is_partner(principal) else policy.organiser_reach(principal),
        child_id=child_id,
        partner_id=partner.id if partner else None,
        first=first,
        after=after,
    )
    visible = await log_listed_children(
        session,
        principal,
        partner=partner,
        child_ids=[match.child_id for match in page.items],
        today=today,
        operation="community.matches.list",
    )
    return page, await police_certificate_limit(session), visible
