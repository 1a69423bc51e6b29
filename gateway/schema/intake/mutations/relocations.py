"""Intake's relocation mutations: a settled child's move to another municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.intake.mutations.calls import call_intake, wire
from gateway.schema.intake.types import Relocation
from gateway.security import Requires, parse_id
from havn import permissions
from havn.vocabulary import CareArrangement


@strawberry.input
class AcceptRelocationInput:
    care_arrangement: CareArrangement
    relocated_on: date | None = strawberry.field(default=None, description="Defaults to today.")


async def _relocation_action(
    info: Info, relocation_id: strawberry.ID, action: str, body: dict[str, Any] | None = None
) -> Relocation:
    path = f"/v1/relocations/{parse_id(relocation_id, 'id')}/{action}"
    return Relocation.from_payload(await call_intake(info, "POST", path, body))


@strawberry.type
class RelocationMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="Proposes that another municipality take the child over.",
    )
    async def propose_relocation(
        self,
        info: Info,
        child_id: strawberry.ID,
        to_municipality: str,
        note: str | None = None,
    ) -> Relocation:
        payload = await call_intake(
            info,
            "POST",
            "/v1/relocations",
            {
                "child_id": str(parse_id(child_id, "childId")),
                "to_municipality": to_municipality,
                "note": note,
            },
        )
        return Relocation.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="The receiving municipality takes the child over; emits child.relocated.",
    )
    async def accept_relocation(
        self, info: Info, id: strawberry.ID, input: AcceptRelocationInput
    ) -> Relocation:
        return await _relocation_action(
            info,
            id,
            "accept",
            {
                "care_arrangement": input.care_arrangement.value,
                "relocated_on": wire(input.relocated_on),
            },
        )

    @strawberry.mutation(extensions=[Requires(permissions.intake.RELOCATIONS)])
    async def decline_relocation(self, info: Info, id: strawberry.ID, reason: str) -> Relocation:
        return await _relocation_action(info, id, "decline", {"reason": reason})

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="The sending municipality takes back its proposal.",
    )
    async def cancel_relocation(self, info: Info, id: strawberry.ID) -> Relocation:
        return await _relocation_action(info, id, "cancel")
