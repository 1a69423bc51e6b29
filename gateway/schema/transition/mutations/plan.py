"""Transition's plan mutation: the transition plan (from 17)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.common import sent_fields
from gateway.schema.transition.mutations.calls import change_transition
from gateway.schema.transition.types import Transition
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import GoalStatus


@strawberry.input
class TransitionGoalInput:
    domain: str = strawberry.field(description="HOUSING, EDUCATION, WORK, FINANCES or HEALTH")
    description: str
    status: GoalStatus = GoalStatus.NOT_STARTED


@strawberry.input
class TransitionPlanInput:
    goals: list[TransitionGoalInput]
    youths_own_words: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Left out, the youth's words stay as they are; null empties them.",
    )


@strawberry.type
class TransitionPlanMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Replaces the transition plan (from 17): goals, own words.",
    )
    async def write_transition_plan(
        self, info: Info, child_id: strawberry.ID, input: TransitionPlanInput
    ) -> Transition:
        payload = await change_transition(
            info,
            child_id,
            "PUT",
            "plan",
            {
                "goals": [
                    {"domain": g.domain, "description": g.description, "status": g.status.value}
                    for g in input.goals
                ],
                **sent_fields(input, "youths_own_words"),
            },
        )
        return Transition.from_payload(payload)
