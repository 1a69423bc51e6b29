"""Partnership agreements between the caller's municipality and a partner."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.pagination import Page
from havn.permissions import require_tenant
from services.community.domain.agreements import open_agreement
from services.community.models import Agreement
from services.community.repository import agreements, municipalities
from services.community.schemas.partners import AgreementIn
from services.community.service.partners import callers_partner, is_partner, partner_named


async def list_agreements(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None
) -> Page[Agreement]:
    """The municipality's agreements; a partner sees its own."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page.empty()
        partner_id = partner.id
    return await agreements.list_agreements(
        session, partner_id=partner_id, first=first, after=after
    )


async def create_agreement(
    session: AsyncSession, *, principal: Principal, body: AgreementIn
) -> Agreement:
    """A partnership agreement between the caller's municipality and a partner."""
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    agreement = open_agreement(
        tenant_id=tenant,
        partner=partner,
        scope=body.scope,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )
    agreement.partner = partner
    session.add(agreement)
    await municipalities.note_municipality(session, tenant)
    await session.flush()
    return agreement
