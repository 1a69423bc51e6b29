"""Funding applications to foundations, their decisions and the municipality's totals."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import NotFound
from havn.pagination import Page
from havn.permissions import require_tenant
from services.community.domain import funding as rules
from services.community.domain.kinds import FundingStatus, parse_kind
from services.community.models import FundingApplication
from services.community.repository import funding
from services.community.schemas.funding import FundingDecisionIn, FundingIn


async def apply_for_funding(
    session: AsyncSession, *, principal: Principal, body: FundingIn, today: date
) -> FundingApplication:
    tenant = require_tenant(principal)
    application = rules.apply_for_funding(
        tenant_id=tenant,
        foundation=body.foundation,
        purpose=body.purpose,
        amount_nok=body.amount_nok,
        applied_on=body.applied_on,
        today=today,
    )
    session.add(application)
    await session.flush()
    return application


async def decide_funding(
    session: AsyncSession,
    *,
    principal: Principal,
    application_id: uuid.UUID,
    body: FundingDecisionIn,
    today: date,
) -> FundingApplication:
    """Records the foundation's decision."""
    application = await funding.get_funding_application(session, application_id)
    if application is None:
        raise NotFound("no such funding application")
    rules.decide_funding(
        application,
        status=body.status,
        decision_on=body.decision_on,
        granted_nok=body.granted_nok,
        today=today,
    )
    await session.flush()
    return application


async def list_funding_applications(
    session: AsyncSession, *, status: str | None, first: int, after: str | None
) -> Page[FundingApplication]:
    checked = parse_kind(FundingStatus, status, field="status").value if status else None
    return await funding.list_funding_applications(
        session, status=checked, first=first, after=after
    )


async def funding_totals(
    session: AsyncSession, *, principal: Principal
) -> tuple[str, dict[str, tuple[int, int, int]]]:
    """The municipality, and per status its applications, kroner applied for and granted."""
    tenant = require_tenant(principal)
    return tenant, await funding.funding_totals(session)
