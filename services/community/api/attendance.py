"""Routes for attendance registers of enrolments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.attendance import (
    AttendanceBatchIn,
    AttendanceIn,
    AttendanceOut,
    EnrolmentAttendanceOut,
)
from services.community.service import attendance

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/enrolments/{enrolment_id}/attendance", status_code=201)
async def record_attendance(
    enrolment_id: uuid.UUID,
    body: AttendanceIn,
    principal: Annotated[Principal, permitted(permissions.community.ATTENDANCE_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> AttendanceOut:
    """Whether the child came on a day; a partner keeps the register of its own offers only."""
    row = await attendance.record_attendance(
        session,
        principal=principal,
        enrolment_id=enrolment_id,
        body=body,
        today=clock.today(),
        now=clock.now(),
    )
    return AttendanceOut.of(row)


@router.post("/attendance/batch")
async def attendance_by_enrolment_ids(
    body: AttendanceBatchIn,
    principal: Annotated[Principal, permitted(permissions.community.ATTENDANCE_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[EnrolmentAttendanceOut]:
    """Attendance of many enrolments; a partner's own offers only, children per grant."""
    registers = await attendance.attendance_by_enrolment_ids(
        session, principal=principal, enrolment_ids=body.enrolment_ids, today=clock.today()
    )
    return ItemsOut[EnrolmentAttendanceOut](
        items=[
            EnrolmentAttendanceOut.of(e, registers.attendance.get(e.id, []))
            for e in registers.enrolments
        ]
    )
