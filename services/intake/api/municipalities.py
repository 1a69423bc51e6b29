"""The municipality register's routes (/v1/municipalities): list, and onboard a tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.intake import policy
from services.intake.schemas import MunicipalityIn, MunicipalityOut
from services.intake.service import municipalities

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/municipalities")
async def list_municipalities(
    principal: Annotated[Principal, permitted(permissions.intake.MUNICIPALITIES_READ)],
    session: UnitOfWork,
) -> ItemsOut[MunicipalityOut]:
    found = await municipalities.list_municipalities(session, principal=principal)
    return ItemsOut[MunicipalityOut](items=[MunicipalityOut.model_validate(m) for m in found])


@router.put("/municipalities/{number}")
async def register_municipality(
    number: str,
    body: MunicipalityIn,
    principal: Annotated[Principal, permitted(permissions.intake.MUNICIPALITY_REGISTER)],
    session: UnitOfWork,
) -> MunicipalityOut:
    """Onboards a municipality as a tenant (platform operators only)."""
    municipality = await municipalities.register_municipality(
        session, principal=principal, number=number, body=body
    )
    return MunicipalityOut.model_validate(municipality)
