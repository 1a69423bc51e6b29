"""Care's assessment-schedule mutation: how often the municipality assesses."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.care.types import AssessmentSchedule
from gateway.security import Requires, caller
from havn import permissions


@strawberry.type
class AssessmentScheduleMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.ASSESSMENT_SCHEDULE_WRITE)],
        description="Municipality admin: months between assessments.",
    )
    async def set_assessment_interval(self, info: Info, months: int) -> AssessmentSchedule:
        principal = caller(info)
        payload = await info.context.services.call(
            principal,
            "care",
            "PUT",
            "/v1/assessment-schedule",
            json={"interval_months": months},
            renamed={"interval_months": "months"},
        )
        return AssessmentSchedule(interval_months=payload["interval_months"])
