"""Routes for the municipality's community settings: how old a police certificate may be."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.volunteers import (
    PoliceCertificateLimitIn,
    SettingsOut,
)
from services.community.service import settings

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/settings")
async def read_settings(
    principal: Annotated[Principal, permitted(permissions.community.SETTINGS_READ)],
    session: UnitOfWork,
) -> SettingsOut:
    return SettingsOut.of(*await settings.read_settings(session, principal=principal))


@router.put("/settings/police-certificate-limit")
async def set_police_certificate_limit(
    body: PoliceCertificateLimitIn,
    principal: Annotated[Principal, permitted(permissions.community.SETTINGS_WRITE)],
    session: UnitOfWork,
) -> SettingsOut:
    """How old a police certificate may be before its volunteer cannot be matched."""
    municipality, months = await settings.set_police_certificate_limit(
        session, principal=principal, body=body
    )
    return SettingsOut.of(municipality, months)
