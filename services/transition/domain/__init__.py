"""Transition rules, one module per noun: the timeline, transitions (the phase), plans,
aftercare, housing and outcomes. Here: the words they share with the API.

Functions in these modules build or change model objects and raise typed errors; they never
touch HTTP, SQL text or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

from enum import StrEnum


class OutcomeStatus(StrEnum):
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    INTRODUCTION_PROGRAMME = "INTRODUCTION_PROGRAMME"
    NEITHER = "NEITHER"
    UNKNOWN = "UNKNOWN"


class Phase(StrEnum):
    """API.md's `Phase`: where a child is on the way from arrival to an independent life."""

    PREPARATION = "PREPARATION"
    CARE = "CARE"
    TRANSITION = "TRANSITION"
    AFTERCARE = "AFTERCARE"
    CLOSED = "CLOSED"


class MilestoneKind(StrEnum):
    AGE_17 = "AGE_17"
    AGE_18 = "AGE_18"
    AGE_20 = "AGE_20"
    AGE_25 = "AGE_25"
    AFTERCARE_OFFER_RENEWAL = "AFTERCARE_OFFER_RENEWAL"
    OUTCOME_1_YEAR = "OUTCOME_1_YEAR"
    OUTCOME_2_YEARS = "OUTCOME_2_YEARS"
    OUTCOME_4_YEARS = "OUTCOME_4_YEARS"
    OUTCOME_5_YEARS = "OUTCOME_5_YEARS"


class AftercareStatus(StrEnum):
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class PlanDomain(StrEnum):
    HOUSING = "HOUSING"
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    FINANCES = "FINANCES"
    HEALTH = "HEALTH"


class GoalStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    ACHIEVED = "ACHIEVED"


class HousingType(StrEnum):
    OWN_FLAT = "OWN_FLAT"
    SHARED = "SHARED"
    SUPPORTED = "SUPPORTED"
