"""Care's care-plan mutations: the plan's goals and the child's words, and approval."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import CarePlan
from gateway.schema.common import sent_fields
from gateway.security import Requires
from havn import permissions


@strawberry.input
class CareGoalInput:
    domain: str = strawberry.field(
        description="health, education, language, housing, leisure, wellbeing, family_tracing"
    )
    description: str
    measures: list[str]
    responsible: str
    review_on: date


@strawberry.input
class CarePlanInput:
    goals: list[CareGoalInput]
    childs_own_words: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Left out, the child's words stay as they are; null empties them.",
    )


@strawberry.type
class CarePlanMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.PLAN_REVISE)],
        description="Caseworker: set the plan's goals and the child's words.",
    )
    async def update_care_plan(
        self, info: Info, child_id: strawberry.ID, input: CarePlanInput
    ) -> CarePlan:
        payload = await call_care_on_child(
            info,
            child_id,
            "PUT",
            "care-plan",
            {
                "goals": [
                    {
                        "domain": goal.domain,
                        "description": goal.description,
                        "measures": goal.measures,
                        "responsible": goal.responsible,
                        "review_on": goal.review_on.isoformat(),
                    }
                    for goal in input.goals
                ],
                **sent_fields(input, "childs_own_words"),
            },
        )
        return CarePlan.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.PLAN_APPROVE)],
        description="Caseworker: approve the plan; needs the child's words.",
    )
    async def approve_care_plan(self, info: Info, child_id: strawberry.ID) -> CarePlan:
        payload = await call_care_on_child(info, child_id, "POST", "care-plan/approve")
        return CarePlan.from_payload(payload)
