"""Routes of a child's education."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ChildIdsIn, ItemsOut, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import EducationIn, EducationOut
from services.care.service import education

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/education/batch")
async def education_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[EducationOut]:
    found = await education.read_education(session, principal=principal, body=body)
    return schemas.present_education(found)


@router.put("/children/{child_id}/education")
async def record_education(
    child_id: uuid.UUID,
    body: EducationIn,
    principal: Annotated[Principal, permitted(permissions.care.EDUCATION_RECORD)],
    session: UnitOfWork,
) -> EducationOut:
    """The child's school, class level, Norwegian level and start date, as they are now."""
    recorded = await education.record_education(
        session, principal=principal, child_id=child_id, body=body
    )
    return EducationOut.model_validate(recorded)
