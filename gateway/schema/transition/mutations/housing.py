"""Transition's housing mutation: where the youth lives, and its support."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.common import sent_fields
from gateway.schema.transition.mutations.calls import change_transition
from gateway.schema.transition.types import Transition
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import HousingType


@strawberry.input
class HousingInput:
    type: HousingType
    start_loan: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Left out, what was recorded stays (at first: no)."
    )
    housing_allowance: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Left out, what was recorded stays (at first: no)."
    )


@strawberry.type
class HousingMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records housing: type, start loan, housing allowance.",
    )
    async def record_housing(
        self, info: Info, child_id: strawberry.ID, input: HousingInput
    ) -> Transition:
        payload = await change_transition(
            info,
            child_id,
            "PUT",
            "housing",
            {"type": input.type.value, **sent_fields(input, "start_loan", "housing_allowance")},
        )
        return Transition.from_payload(payload)
