"""Transition's mutations: the plan, aftercare decisions, housing and outcomes."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.common import sent_fields
from gateway.schema.transition.types import (
    AftercareStatus,
    GoalStatus,
    HousingType,
    Outcome,
    OutcomeStatus,
    Transition,
)
from gateway.security import Requires, caller, parse_id
from havn import permissions


@strawberry.input
class OutcomeInput:
    milestone_years: int = strawberry.field(description="1, 2, 4 or 5 years after settlement")
    status: OutcomeStatus


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


@strawberry.input
class AftercareDecisionInput:
    status: AftercareStatus
    decided_on: date
    next_offer_on: date | None = strawberry.field(
        default=None,
        description="Declined only: when to offer again, within a year (default: a year on).",
    )


@strawberry.input
class HousingInput:
    type: HousingType
    start_loan: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Left out, what was recorded stays (at first: no)."
    )
    housing_allowance: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Left out, what was recorded stays (at first: no)."
    )


async def _change(
    info: Info, child_id: strawberry.ID, method: str, action: str, body: dict[str, Any]
) -> Any:
    principal = caller(info)
    return await info.context.services.call(
        principal,
        "transition",
        method,
        f"/v1/transitions/{parse_id(child_id, 'childId')}/{action}",
        json=body,
    )


@strawberry.type
class TransitionMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records (or corrects) an outcome 1, 2, 4 or 5 years on.",
    )
    async def record_outcome(
        self, info: Info, child_id: strawberry.ID, input: OutcomeInput
    ) -> Outcome:
        payload = await _change(
            info,
            child_id,
            "POST",
            "outcomes",
            {"milestone_years": input.milestone_years, "status": input.status.value},
        )
        return Outcome.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Replaces the transition plan (from 17): goals, own words.",
    )
    async def write_transition_plan(
        self, info: Info, child_id: strawberry.ID, input: TransitionPlanInput
    ) -> Transition:
        payload = await _change(
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

    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records an aftercare offer, acceptance or decline (18+).",
    )
    async def record_aftercare_decision(
        self, info: Info, child_id: strawberry.ID, input: AftercareDecisionInput
    ) -> Transition:
        payload = await _change(
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

    @strawberry.mutation(
        extensions=[Requires(permissions.transition.TRANSITION_WRITE)],
        description="Records housing: type, start loan, housing allowance.",
    )
    async def record_housing(
        self, info: Info, child_id: strawberry.ID, input: HousingInput
    ) -> Transition:
        payload = await _change(
            info,
            child_id,
            "PUT",
            "housing",
            {"type": input.type.value, **sent_fields(input, "start_loan", "housing_allowance")},
        )
        return Transition.from_payload(payload)
