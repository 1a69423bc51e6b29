"""Routes of a child's care record: many children's at once, as the caller sees each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import CareBatchIn, ChildCareOut
from services.care.service import care_records

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/care/batch")
async def care_by_child_ids(
    body: CareBatchIn,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_STATUS_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildCareOut]:
    """Loads many children's care in one call; children the caller may not see are absent."""
    records = await care_records.read_care_records(session, principal=principal, body=body)
    return schemas.present_care_records(records, clock.today())
