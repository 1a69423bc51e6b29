"""Care's assessment mutation: an assessment of the child's situation."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import Assessment
from gateway.security import Requires
from havn import permissions


@strawberry.input
class DomainScoreInput:
    domain: str
    score: int = strawberry.field(description="1..5")


@strawberry.input
class AssessmentInput:
    scores: list[DomainScoreInput]
    childs_own_words: str | None = None
    notes: str | None = None


@strawberry.type
class AssessmentMutation:
    @strawberry.mutation(extensions=[Requires(permissions.care.ASSESSMENT_RECORD)])
    async def record_assessment(
        self, info: Info, child_id: strawberry.ID, input: AssessmentInput
    ) -> Assessment:
        payload = await call_care_on_child(
            info,
            child_id,
            "POST",
            "assessments",
            {
                "scores": [{"domain": s.domain, "score": s.score} for s in input.scores],
                "childs_own_words": input.childs_own_words,
                "notes": input.notes,
            },
        )
        return Assessment.from_payload(payload)
