"""Intake's checklist mutations: the preparation tasks of an accepted referral."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.intake.mutations.calls import call_intake, referral_action, sent
from gateway.schema.intake.types import Referral
from gateway.security import Requires, parse_id
from havn import permissions
from havn.vocabulary import PreparationTaskKind


@strawberry.input(description="Leave a field out to keep it; send null to empty it.")
class PreparationTaskInput:
    owner: str | None = strawberry.field(
        default=strawberry.UNSET, description="Username of one of the municipality's staff."
    )
    notes: str | None = strawberry.UNSET


@strawberry.type
class PreparationMutation:
    @strawberry.mutation(extensions=[Requires(permissions.intake.PREPARATION)])
    async def complete_preparation_task(
        self, info: Info, referral_id: strawberry.ID, task: PreparationTaskKind
    ) -> Referral:
        return await referral_action(info, referral_id, f"preparation/{task.value}/complete")

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Marks a checklist task not done again.",
    )
    async def reopen_preparation_task(
        self, info: Info, referral_id: strawberry.ID, task: PreparationTaskKind
    ) -> Referral:
        return await referral_action(info, referral_id, f"preparation/{task.value}/reopen")

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Gives a checklist task an owner and notes.",
    )
    async def update_preparation_task(
        self,
        info: Info,
        referral_id: strawberry.ID,
        task: PreparationTaskKind,
        input: PreparationTaskInput,
    ) -> Referral:
        path = f"/v1/referrals/{parse_id(referral_id, 'referralId')}/preparation/{task.value}"
        payload = await call_intake(info, "PATCH", path, sent(input, ["owner", "notes"]))
        return Referral.from_payload(payload)
