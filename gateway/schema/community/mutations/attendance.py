"""Community's attendance mutation: the register of an enrolment."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Attendance
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class AttendanceMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.community.ATTENDANCE_RECORD)],
        description="Partner or staff: whether the child came on a day.",
    )
    async def record_attendance(
        self, info: Info, enrolment_id: strawberry.ID, on: date, present: bool
    ) -> Attendance:
        payload = await community_post(
            info,
            f"/v1/enrolments/{parse_id(enrolment_id, 'enrolmentId')}/attendance",
            {"on": on.isoformat(), "present": present},
        )
        return Attendance.from_payload(payload)
