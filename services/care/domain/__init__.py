"""Care rules, one module per part of a child's care: who sees and writes which part
(`parts`), the child and its contact person (`children`), the care plan and its versions
(`care_plans`), its end at 18 and 25 (`milestones`), assessments, follow-up notes, health,
education and meetings.

Functions here build model objects and raise typed errors; they never touch HTTP, SQL text
or the transaction (the request's unit of work, or the event's, commits). This package's own
module holds the vocabulary care shares with the gateway.
"""

from __future__ import annotations

from enum import StrEnum


class CarePlanStatus(StrEnum):
    DRAFT = "DRAFT"  # never approved
    APPROVED = "APPROVED"  # the current content is an approved version
    REVISED = "REVISED"  # approved before, changed since: the change awaits approval
    CLOSED = "CLOSED"  # care has ended (18 without aftercare, aftercare declined or over)


class LifeDomain(StrEnum):
    HEALTH = "health"
    EDUCATION = "education"
    LANGUAGE = "language"
    HOUSING = "housing"
    LEISURE = "leisure"
    WELLBEING = "wellbeing"
    FAMILY_TRACING = "family_tracing"


class NorwegianLevel(StrEnum):
    """Common European Framework levels; NONE before the child has started."""

    NONE = "NONE"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class CaseloadFilter(StrEnum):
    ALL = "ALL"
    MINE = "MINE"
    OVERDUE_ASSESSMENT = "OVERDUE_ASSESSMENT"
    CARE_PLAN_NOT_APPROVED = "CARE_PLAN_NOT_APPROVED"
    NO_CONTACT_PERSON = "NO_CONTACT_PERSON"
