"""Volunteers of partner organisations, and the checks of their police certificates."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import NotFound
from havn.pagination import Page
from havn.permissions import require_tenant
from services.community.domain import volunteers as rules
from services.community.models import Volunteer
from services.community.repository import volunteers
from services.community.schemas.volunteers import PoliceCertificateIn, VolunteerIn
from services.community.service.partners import callers_partner, is_partner, partner_named
from services.community.service.settings import police_certificate_limit


async def list_volunteers(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None
) -> tuple[Page[Volunteer], int]:
    """The municipality's volunteers, with its police certificate limit; a partner sees its
    own organisation's."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page.empty(), rules.DEFAULT_POLICE_CERTIFICATE_MONTHS
        partner_id = partner.id
    page = await volunteers.list_volunteers(
        session, partner_id=partner_id, first=first, after=after
    )
    return page, await police_certificate_limit(session)


async def register_volunteer(
    session: AsyncSession, *, principal: Principal, body: VolunteerIn, today: date
) -> tuple[Volunteer, int]:
    """A partner's volunteer, with the municipality's police certificate limit."""
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    volunteer = rules.register_volunteer(
        tenant_id=tenant,
        partner=partner,
        new=rules.NewVolunteer(
            kind=body.kind,
            name=body.name,
            languages=body.languages,
            interests=body.interests,
            police_certificate_checked_on=body.police_certificate_checked_on,
        ),
        today=today,
    )
    volunteer.partner = partner
    session.add(volunteer)
    await session.flush()
    return volunteer, await police_certificate_limit(session)


async def record_police_certificate(
    session: AsyncSession,
    *,
    principal: Principal,
    volunteer_id: uuid.UUID,
    body: PoliceCertificateIn,
    today: date,
) -> tuple[Volunteer, int]:
    """Records the day a volunteer's police certificate (politiattest) was checked."""
    volunteer = await volunteers.get_volunteer(session, volunteer_id, for_update=True)
    if volunteer is None:
        raise NotFound("no such volunteer")
    rules.record_police_certificate(volunteer, checked_on=body.checked_on, today=today)
    await session.flush()
    return volunteer, await police_certificate_limit(session)
