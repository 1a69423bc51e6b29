"""Transition rules, one module per noun: the timeline, transitions (the phase), plans,
aftercare, housing and outcomes. Here: a plan's domains (the words transition shares with
the gateway are in havn/vocabulary.py).

Functions in these modules build or change model objects and raise typed errors; they never
touch HTTP, SQL text or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

from enum import StrEnum


class PlanDomain(StrEnum):
    HOUSING = "HOUSING"
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    FINANCES = "FINANCES"
    HEALTH = "HEALTH"
