"""Care's education mutation: the child's school and Norwegian level."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import Education
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import NorwegianLevel


@strawberry.input
class EducationInput:
    school: str
    class_level: str
    norwegian_level: NorwegianLevel
    started_on: date


@strawberry.type
class EducationMutation:
    @strawberry.mutation(extensions=[Requires(permissions.care.EDUCATION_RECORD)])
    async def record_education(
        self, info: Info, child_id: strawberry.ID, input: EducationInput
    ) -> Education:
        payload = await call_care_on_child(
            info,
            child_id,
            "PUT",
            "education",
            {
                "school": input.school,
                "class_level": input.class_level,
                "norwegian_level": input.norwegian_level.value,
                "started_on": input.started_on.isoformat(),
            },
        )
        return Education.from_payload(payload)
