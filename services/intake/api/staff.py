"""The staff route (/v1/staff): the municipality's users who can own checklist tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.intake import policy
from services.intake.schemas import StaffMemberOut
from services.intake.service import staff

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/staff")
async def list_staff(
    principal: Annotated[Principal, permitted(permissions.intake.STAFF_READ)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[StaffMemberOut]:
    """The municipality's users who can own checklist tasks."""
    page = await staff.list_staff(session, principal=principal, first=first, after=after)
    return page.map(StaffMemberOut.model_validate)
