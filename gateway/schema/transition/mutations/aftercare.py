"""Transition's aftercare mutation: the decision on aftercare (ettervern)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.transition.mutations.calls import change_transition
from gateway.schema.transition.types import Transition
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import AftercareStatus


@strawberry.input
class AftercareDecisionInput:
    status: AftercareStatus
    decided_on: date
    next_offer_on: date | None = strawberry.field(
        default=None,
        description="Declined only: when to offer again, within a year (default: a year on).",
    )


@strawberry.type
class AftercareMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records an aftercare offer, acceptance or decline (18+).",
    )
    async def record_aftercare_decision(
        self, info: Info, child_id: strawberry.ID, input: AftercareDecisionInput
    ) -> Transition:
        payload = await change_transition(
            info,
            child_id,
            "POST",
            "aftercare-decisions",
            {
                "status": input.status.value,
                "decided_on": input.decided_on.isoformat(),
                "next_offer_on": input.next_offer_on.isoformat() if input.next_offer_on else None,
            },
        )
        return Transition.from_payload(payload)
