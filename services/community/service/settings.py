"""The municipality's community settings: how old a police certificate may be."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.permissions import require_tenant
from services.community.domain import volunteers as rules
from services.community.repository import municipalities
from services.community.schemas.volunteers import PoliceCertificateLimitIn


async def police_certificate_limit(session: AsyncSession) -> int:
    """The months a police certificate stays valid in the tenant (its own, or the default)."""
    settings = await municipalities.get_settings(session)
    return (
        settings.police_certificate_months if settings else rules.DEFAULT_POLICE_CERTIFICATE_MONTHS
    )


async def read_settings(session: AsyncSession, *, principal: Principal) -> tuple[str, int]:
    """The caller's municipality and its police certificate limit."""
    tenant = require_tenant(principal)
    return tenant, await police_certificate_limit(session)


async def set_police_certificate_limit(
    session: AsyncSession, *, principal: Principal, body: PoliceCertificateLimitIn
) -> tuple[str, int]:
    """How old a police certificate may be before its volunteer cannot be matched."""
    tenant = require_tenant(principal)
    months = rules.check_police_certificate_limit(body.months)
    await municipalities.save_police_certificate_limit(session, tenant, months)
    return tenant, months
