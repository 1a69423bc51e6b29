"""Contracts of the events transition publishes (personal data: consumers treat them as such)."""

from __future__ import annotations

import uuid
from datetime import date

from havn.events.contracts.base import Contract, contract


@contract("transition.milestone.reached", 1)
class MilestoneReachedV1(Contract):
    """An age- or settlement-driven milestone became due; published once per child and milestone.

    `milestone` is one of AGE_17 (transition plan opens), AGE_18 (guardianship ends, aftercare
    decision due), AGE_20 (the state grant period ends), AGE_25 (aftercare ends, the case
    closes), AFTERCARE_OFFER_RENEWAL (a renewed offer is due after a decline) and
    OUTCOME_1_YEAR / _2_YEARS / _4_YEARS / _5_YEARS (an outcome is due). `occurrence` tells
    renewals apart (0 for every other milestone). `aftercare_accepted` and `phase` are the
    child's state when the milestone was reached; `reached_on` may be after `due_on` when the
    scheduler ran late.
    """

    child_id: uuid.UUID
    milestone: str
    occurrence: int
    due_on: date
    reached_on: date
    aftercare_accepted: bool
    phase: str
    outcome_years: int | None = None


@contract("transition.aftercare.decided", 1)
class AftercareDecidedV1(Contract):
    """An aftercare (ettervern) decision: OFFERED, ACCEPTED or DECLINED, never before 18."""

    child_id: uuid.UUID
    status: str
    decided_on: date
    next_offer_on: date | None
    aftercare_ends_on: date
    phase: str


@contract("transition.outcome.recorded", 1)
class OutcomeRecordedV1(Contract):
    """Where a child stands a fixed number of years after settlement (recorded or corrected)."""

    child_id: uuid.UUID
    milestone_years: int
    status: str
    recorded_on: date
    settled_on: date


__all__ = ["AftercareDecidedV1", "MilestoneReachedV1", "OutcomeRecordedV1"]
