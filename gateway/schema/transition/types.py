"""Transition (phase 5) as the public schema shows it."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from gateway.schema.common import Payload


@strawberry.enum
class OutcomeStatus(Enum):
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    INTRODUCTION_PROGRAMME = "INTRODUCTION_PROGRAMME"
    NEITHER = "NEITHER"
    UNKNOWN = "UNKNOWN"


@strawberry.type
class Outcome:
    milestone_years: int
    status: OutcomeStatus
    recorded_on: date


@strawberry.type
class Transition:
    plan_opens_on: date
    aftercare_decision: str | None
    outcomes: list[Outcome]

    @classmethod
    def from_payload(cls, p: Payload) -> Transition:
        return cls(
            plan_opens_on=date.fromisoformat(p["plan_opens_on"]),
            aftercare_decision=p["aftercare_decision"],
            outcomes=[
                Outcome(
                    milestone_years=o["milestone_years"],
                    status=OutcomeStatus(o["status"]),
                    recorded_on=date.fromisoformat(o["recorded_on"]),
                )
                for o in p["outcomes"]
            ],
        )
