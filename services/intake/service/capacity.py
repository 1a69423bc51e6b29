"""Capacity use cases: settlement decisions and care places beside pending referrals."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal, Role
from havn.clock import Clock
from havn.pagination import Page
from havn.permissions import require_tenant
from havn.vocabulary import CareArrangement
from services.intake import repository
from services.intake.domain import capacity
from services.intake.models import CarePlaces
from services.intake.repository import MunicipalityCapacity
from services.intake.schemas import CarePlacesIn
from services.intake.service.staff import note_acting_staff_member


async def list_capacity(
    session: AsyncSession,
    *,
    principal: Principal,
    year: int | None,
    clock: Clock,
    first: int,
    after: str | None,
) -> Page[MunicipalityCapacity]:
    """Capacity beside pending referrals (this year's, unless `year`): every municipality's for
    the allocator, else one's own."""
    numbers = (
        None if principal.has_role(Role.DIRECTORATE_ALLOCATOR) else [require_tenant(principal)]
    )
    return await repository.capacity_of(
        session, year=year or clock.today().year, numbers=numbers, first=first, after=after
    )


async def own_capacity(session: AsyncSession, tenant: str, year: int) -> MunicipalityCapacity:
    page = await repository.capacity_of(session, year=year, numbers=[tenant], first=1, after=None)
    [figures] = page.items
    return figures


async def record_settlement_decision(
    session: AsyncSession, *, principal: Principal, year: int, minors: int, clock: Clock
) -> MunicipalityCapacity:
    """Records (or corrects) how many minors the municipality will settle in a year."""
    await note_acting_staff_member(session, principal)
    tenant = require_tenant(principal)
    capacity.check_settlement_decision(year=year, minors=minors, today=clock.today())
    await repository.save_settlement_decision(
        session, tenant=tenant, year=year, minors=minors, by=principal.username, at=clock.now()
    )
    return await own_capacity(session, tenant, year)


async def record_care_places(
    session: AsyncSession,
    *,
    principal: Principal,
    care_arrangement: CareArrangement,
    body: CarePlacesIn,
    clock: Clock,
) -> MunicipalityCapacity:
    """Records how many places of one arrangement type there are, and how many are free."""
    await note_acting_staff_member(session, principal)
    tenant = require_tenant(principal)
    capacity.check_care_places(places=body.places, free=body.free)
    places = await repository.get_care_places(
        session, tenant, care_arrangement.value, for_update=True
    )
    if places is None:
        places = CarePlaces(tenant_id=tenant, care_arrangement=care_arrangement.value)
        session.add(places)
    places.places, places.free = body.places, body.free
    places.recorded_by, places.recorded_at = principal.username, clock.now()
    await session.flush()
    return await own_capacity(session, tenant, clock.today().year)
