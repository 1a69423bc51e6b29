"""The municipality register: every tenant on Havn, onboarded by the platform's operators."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.errors import InvalidInput
from services.intake import repository
from services.intake.models import Municipality
from services.intake.schemas import MunicipalityIn


async def list_municipalities(
    session: AsyncSession, *, principal: Principal
) -> Sequence[Municipality]:
    return await repository.list_municipalities(session)


async def register_municipality(
    session: AsyncSession, *, principal: Principal, number: str, body: MunicipalityIn
) -> Municipality:
    """Onboards a municipality as a tenant, or renames one."""
    if number != body.number:
        raise InvalidInput("the number in the path and the body differ", field="number")
    municipality = await repository.get_municipality(session, number)
    if municipality is None:
        municipality = Municipality(number=number, name=body.name)
        session.add(municipality)
    municipality.name = body.name
    await session.flush()
    return municipality
