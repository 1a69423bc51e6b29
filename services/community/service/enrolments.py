"""Enrolments: a consenting child takes a place in an offer, and the partner sees it while
the enrolment lasts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import InvalidInput, NotFound
from havn.pagination import Page
from services.community import events
from services.community.domain import enrolments as rules
from services.community.domain.agreements import active_agreement
from services.community.domain.consent import require_consent
from services.community.models import Enrolment
from services.community.repository import agreements, enrolments, offers
from services.community.schemas.enrolments import EnrolIn
from services.community.service.children import find_child
from services.community.service.grants import (
    end_with_grants,
    log_listed_children,
    save_with_grant,
)
from services.community.service.partners import callers_partner, is_partner, staff_or_partner_reach


async def enrol(
    session: AsyncSession, *, principal: Principal, body: EnrolIn, today: date, now: datetime
) -> tuple[Enrolment, dict[uuid.UUID, int]]:
    """Enrols a child who consented; the offer's partner is granted the basic profile.

    Returns the enrolment and the places its offer has taken now."""
    require_consent(body.consent_given)
    child = await find_child(session, body.child_id, for_update=True)
    # The offer's row is locked: two enrolments cannot both take its last place.
    offer = await offers.get_offer(session, body.offer_id, for_update=True)
    if offer is None:
        raise InvalidInput("no such offer in your municipality", field="offer_id")
    agreement = active_agreement(
        await agreements.agreements_with(session, offer.partner_id),
        partner=offer.partner,
        today=today,
    )
    counts = await enrolments.active_enrolment_counts(session, [offer.id], today=today)
    enrolment, grant = rules.enrol(
        child=child,
        offer=offer,
        partner=offer.partner,
        agreement=agreement,
        active_enrolments=counts.get(offer.id, 0),
        already_enrolled=await enrolments.is_enrolled(
            session, child_id=child.id, offer_id=offer.id, today=today
        ),
        consent_given=body.consent_given,
        by=principal.username,
        today=today,
        now=now,
    )
    enrolment.offer = offer
    await save_with_grant(
        session,
        principal,
        record=enrolment,
        grant=grant,
        partner=offer.partner,
        operation="community.enrol",
        event=events.enrolment_started(enrolment, offer),
    )
    return enrolment, {offer.id: counts.get(offer.id, 0) + 1}


async def end_enrolment(
    session: AsyncSession,
    *,
    principal: Principal,
    enrolment_id: uuid.UUID,
    today: date,
    now: datetime,
) -> tuple[Enrolment, dict[uuid.UUID, int]]:
    """Ends the enrolment today; the partner's grant closes with it.

    Returns the enrolment and the places its offer has taken now."""
    enrolment = await enrolments.get_enrolment(session, enrolment_id, for_update=True)
    if enrolment is None or enrolment.offer is None:
        raise NotFound("no such enrolment")
    rules.end_enrolment(enrolment, today=today)
    await end_with_grants(
        session,
        principal,
        record=enrolment,
        operation="community.enrol.end",
        event=events.enrolment_ended(enrolment, enrolment.offer.partner, reason="ended"),
        reason="enrolment ended",
        now=now,
    )
    counts = await enrolments.active_enrolment_counts(session, [enrolment.offer_id], today=today)
    return enrolment, counts


async def list_enrolments(
    session: AsyncSession,
    *,
    principal: Principal,
    offer_id: uuid.UUID | None,
    active: bool,
    first: int,
    after: str | None,
    today: date,
) -> tuple[Page[Enrolment], dict[uuid.UUID, int], set[uuid.UUID] | None]:
    """The municipality's enrolments, newest first; a partner sees its own offers' only.

    Returns the page, the places each offer has taken today, and for a partner the children
    its grants let it see (it sees which child an enrolment is for only while one is in force).
    """
    partner = await callers_partner(session, principal) if is_partner(principal) else None
    if is_partner(principal) and partner is None:
        return Page.empty(), {}, None
    page = await enrolments.list_enrolments(
        session,
        reach=staff_or_partner_reach(principal).listed,
        partner_id=partner.id if partner else None,
        offer_id=offer_id,
        active_on=today if active else None,
        first=first,
        after=after,
    )
    visible = await log_listed_children(
        session,
        principal,
        partner=partner,
        child_ids=[enrolment.child_id for enrolment in page.items],
        today=today,
        operation="community.enrolments.list",
    )
    enrolled = await enrolments.active_enrolment_counts(
        session, list({e.offer_id for e in page.items}), today=today
    )
    return page, enrolled, visible
