"""Transition (phase 5) as the public schema shows it: timeline, plan, aftercare, outcomes."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.common import Payload, child_field, optional_date
from havn.errors import NotFound
from havn.vocabulary import (
    AftercareStatus,
    GoalStatus,
    HousingType,
    OutcomeStatus,
    Phase,
    TransitionMilestone,
)


@strawberry.type
class Outcome:
    milestone_years: int
    status: OutcomeStatus
    recorded_on: date

    @classmethod
    def from_payload(cls, p: Payload) -> Outcome:
        return cls(
            milestone_years=p["milestone_years"],
            status=OutcomeStatus(p["status"]),
            recorded_on=date.fromisoformat(p["recorded_on"]),
        )


@strawberry.type
class OutcomeDue:
    milestone_years: int
    due_on: date


@strawberry.type
class TimelineEntry:
    milestone: TransitionMilestone
    label: str
    due_on: date
    reached_on: date | None = strawberry.field(
        description="When the milestone fired; null while it is still coming."
    )
    reached: bool


@strawberry.type
class TransitionGoal:
    domain: str = strawberry.field(description="HOUSING, EDUCATION, WORK, FINANCES or HEALTH")
    description: str
    status: GoalStatus


@strawberry.type
class TransitionPlan:
    open: bool
    opens_on: date
    goals: list[TransitionGoal]
    youths_own_words: str | None
    updated_on: date | None


@strawberry.type
class AftercareDecision:
    status: AftercareStatus
    decided_on: date
    next_offer_on: date | None
    recorded_by: str


@strawberry.type
class Aftercare:
    status: AftercareStatus | None
    decided_on: date | None
    next_offer_on: date | None = strawberry.field(
        description="When a declined offer is to be renewed (within a year)."
    )
    due_on: date | None = strawberry.field(description="When a decision is (next) due.")
    overdue: bool
    ends_on: date
    history: list[AftercareDecision]


@strawberry.type
class Housing:
    type: HousingType
    start_loan: bool
    housing_allowance: bool
    updated_on: date | None


@strawberry.type
class Transition:
    plan_opens_on: date
    aftercare_decision: str | None
    phase: Phase
    turns_18_on: date
    child_id: strawberry.Private[uuid.UUID]
    # The whole record (timeline, plan, aftercare, outcomes) when it came with the summary;
    # else it is loaded on first use, so a caseload of dates loads only transition's summaries.
    record: strawberry.Private[Payload | None] = None

    @classmethod
    def from_payload(cls, p: Payload) -> Transition:
        """From a summary or a whole record (which carries the summary's fields too)."""
        return cls(
            plan_opens_on=date.fromisoformat(p["plan_opens_on"]),
            aftercare_decision=p["aftercare_decision"],
            phase=Phase(p["phase"]),
            turns_18_on=date.fromisoformat(p["turns_18_on"]),
            child_id=uuid.UUID(p["child_id"]),
            record=p if "timeline" in p else None,
        )

    async def _whole(self, info: Info) -> Payload:
        if self.record is None:
            record = await info.context.loaders.transition.load(self.child_id)
            if record is None:
                raise NotFound("no such transition")
            self.record = record
        return self.record

    @strawberry.field
    async def outcomes(self, info: Info) -> list[Outcome]:
        return [Outcome.from_payload(o) for o in (await self._whole(info))["outcomes"]]

    @strawberry.field
    async def outcomes_due(self, info: Info) -> list[OutcomeDue]:
        return [
            OutcomeDue(milestone_years=d["milestone_years"], due_on=date.fromisoformat(d["due_on"]))
            for d in (await self._whole(info))["outcomes_due"]
        ]

    @strawberry.field
    async def timeline(self, info: Info) -> list[TimelineEntry]:
        return [
            TimelineEntry(
                milestone=TransitionMilestone(m["milestone"]),
                label=m["label"],
                due_on=date.fromisoformat(m["due_on"]),
                reached_on=optional_date(m["reached_on"]),
                reached=m["reached_on"] is not None,
            )
            for m in (await self._whole(info))["timeline"]
        ]

    @strawberry.field
    async def plan(self, info: Info) -> TransitionPlan:
        plan = (await self._whole(info))["plan"]
        return TransitionPlan(
            open=plan["open"],
            opens_on=date.fromisoformat(plan["opens_on"]),
            goals=[
                TransitionGoal(
                    domain=g["domain"],
                    description=g["description"],
                    status=GoalStatus(g["status"]),
                )
                for g in plan["goals"]
            ],
            youths_own_words=plan["youths_own_words"],
            updated_on=optional_date(plan["updated_on"]),
        )

    @strawberry.field
    async def aftercare(self, info: Info) -> Aftercare:
        aftercare = (await self._whole(info))["aftercare"]
        return Aftercare(
            status=AftercareStatus(aftercare["status"]) if aftercare["status"] else None,
            decided_on=optional_date(aftercare["decided_on"]),
            next_offer_on=optional_date(aftercare["next_offer_on"]),
            due_on=optional_date(aftercare["due_on"]),
            overdue=aftercare["overdue"],
            ends_on=date.fromisoformat(aftercare["ends_on"]),
            history=[
                AftercareDecision(
                    status=AftercareStatus(d["status"]),
                    decided_on=date.fromisoformat(d["decided_on"]),
                    next_offer_on=optional_date(d["next_offer_on"]),
                    recorded_by=d["recorded_by"],
                )
                for d in aftercare["history"]
            ],
        )

    @strawberry.field
    async def housing(self, info: Info) -> Housing | None:
        housing = (await self._whole(info))["housing"]
        if not housing:
            return None
        return Housing(
            type=HousingType(housing["type"]),
            start_loan=housing["start_loan"],
            housing_allowance=housing["housing_allowance"],
            updated_on=optional_date(housing["updated_on"]),
        )


@strawberry.type
class TransitionCase:
    """A child in the transition caseload, with the date the filter is about."""

    due_on: date = strawberry.field(
        description="The 18th birthday, the overdue decision's date, the first missing "
        "outcome's date, or (no filter) the day the plan opens."
    )
    transition: Transition
    child_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_payload(cls, p: Payload) -> TransitionCase:
        return cls(
            due_on=date.fromisoformat(p["key_on"]),
            transition=Transition.from_payload(p["transition"]),
            child_id=uuid.UUID(p["transition"]["child_id"]),
        )

    child = child_field(lambda case: case.child_id, description="The child, if you may see it.")
