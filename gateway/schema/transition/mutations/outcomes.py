"""Transition's outcome mutation: what the youth does 1, 2, 4 and 5 years on."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.transition.mutations.calls import change_transition
from gateway.schema.transition.types import Outcome
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import OutcomeStatus


@strawberry.input
class OutcomeInput:
    milestone_years: int = strawberry.field(description="1, 2, 4 or 5 years after settlement")
    status: OutcomeStatus


@strawberry.type
class OutcomeMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records (or corrects) an outcome 1, 2, 4 or 5 years on.",
    )
    async def record_outcome(
        self, info: Info, child_id: strawberry.ID, input: OutcomeInput
    ) -> Outcome:
        payload = await change_transition(
            info,
            child_id,
            "POST",
            "outcomes",
            {"milestone_years": input.milestone_years, "status": input.status.value},
        )
        return Outcome.from_payload(payload)
