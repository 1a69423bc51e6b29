"""Partner organisations: registered once for the platform, and the one a partner user acts for."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal, Role
from havn.errors import InvalidInput
from havn.pagination import Page
from havn.permissions import require_tenant
from havn.reach import EVERY_CHILD, Reach
from services.community import policy
from services.community.domain import partners as rules
from services.community.models import Partner
from services.community.repository import municipalities, partners
from services.community.schemas.partners import PartnerIn


def is_partner(principal: Principal) -> bool:
    """A partner user acting for its organisation (and holding no municipal role)."""
    return principal.has_role(Role.PARTNER) and not principal.is_municipal


def staff_or_partner_reach(principal: Principal) -> Reach:
    """A partner lists its own organisation's records (children shown per grant); staff the
    children they reach."""
    return EVERY_CHILD if is_partner(principal) else policy.child_reach(principal)


async def callers_partner(session: AsyncSession, principal: Principal) -> Partner | None:
    """The organisation a partner user acts for; None when it is not registered (sees nothing)."""
    if not principal.org:
        return None
    return await partners.get_partner_by_slug(session, principal.org)


async def partner_named(session: AsyncSession, slug: str, field: str = "partner_slug") -> Partner:
    partner = await partners.get_partner_by_slug(session, slug.strip().lower())
    if partner is None:
        raise InvalidInput(f"no partner is registered as '{slug}'", field=field)
    return partner


async def list_partners(session: AsyncSession, *, first: int, after: str | None) -> Page[Partner]:
    """Every partner organisation on the platform (shared by all municipalities)."""
    return await partners.list_partners(session, first=first, after=after)


async def register_partner(
    session: AsyncSession, *, principal: Principal, body: PartnerIn
) -> Partner:
    """Registers a partner, or returns it when another municipality already did."""
    tenant = require_tenant(principal)
    new = rules.register_partner(slug=body.slug, name=body.name, kind=body.kind)
    partner = await partners.add_partner_if_new(session, new)
    if partner.id != new.id:
        rules.check_same_partner(partner, kind=body.kind)
    await municipalities.note_municipality(session, tenant)
    return partner
