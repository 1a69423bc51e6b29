"""Care rules, one module per part of a child's care: who sees and writes which part
(`parts`), the child and its contact person (`children`), the care plan and its versions
(`care_plans`), its end at 18 and 25 (`milestones`), assessments, follow-up notes, health,
education and meetings.

Functions here build model objects and raise typed errors; they never touch HTTP, SQL text
or the transaction (the request's unit of work, or the event's, commits). This package's own
module holds a care plan's life domains (the words care shares with the gateway are in
havn/vocabulary.py).
"""

from __future__ import annotations

from enum import StrEnum


class LifeDomain(StrEnum):
    HEALTH = "health"
    EDUCATION = "education"
    LANGUAGE = "language"
    HOUSING = "housing"
    LEISURE = "leisure"
    WELLBEING = "wellbeing"
    FAMILY_TRACING = "family_tracing"
