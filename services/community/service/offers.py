"""Partners' offers in the municipality, and the places they have left."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import Forbidden
from havn.pagination import Page
from havn.permissions import require_tenant
from services.community.domain import offers as rules
from services.community.domain.agreements import active_agreement
from services.community.domain.kinds import OfferKind, parse_kind
from services.community.models import Offer
from services.community.repository import agreements, enrolments, offers
from services.community.schemas.offers import OfferIn
from services.community.service.partners import callers_partner, is_partner, partner_named


async def list_offers(
    session: AsyncSession,
    *,
    principal: Principal,
    kind: str | None,
    first: int,
    after: str | None,
    today: date,
) -> tuple[Page[Offer], dict[uuid.UUID, int]]:
    """The municipality's offers, newest first, with the places each has taken today; a
    partner sees its own organisation's."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page.empty(), {}
        partner_id = partner.id
    checked_kind = parse_kind(OfferKind, kind).value if kind else None
    page = await offers.list_offers(
        session, partner_id=partner_id, kind=checked_kind, first=first, after=after
    )
    enrolled = await enrolments.active_enrolment_counts(
        session, [offer.id for offer in page.items], today=today
    )
    return page, enrolled


async def create_offer(
    session: AsyncSession, *, principal: Principal, body: OfferIn, today: date
) -> Offer:
    """A partner's offer in the municipality; it needs an agreement in force today.

    A partner user may create offers for its own organisation only.
    """
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    if is_partner(principal) and partner.slug != principal.org:
        raise Forbidden("a partner may create offers for its own organisation only")
    new = rules.NewOffer(
        kind=body.kind,
        title=body.title,
        tags=body.tags,
        languages=body.languages,
        capacity=body.capacity,
        schedule=body.schedule,
    )
    offer = rules.create_offer(tenant_id=tenant, partner=partner, new=new)
    active_agreement(
        await agreements.agreements_with(session, partner.id), partner=partner, today=today
    )
    offer.partner = partner
    session.add(offer)
    await session.flush()
    return offer
