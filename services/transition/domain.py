"""Transition rules: when a settled child's transition plan opens.

Functions here build model objects; they never touch HTTP, SQL text or the transaction
(the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from havn.events.contracts import ChildSettledV1
from services.transition.models import Child, Transition


class OutcomeStatus(StrEnum):
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    INTRODUCTION_PROGRAMME = "INTRODUCTION_PROGRAMME"
    NEITHER = "NEITHER"
    UNKNOWN = "UNKNOWN"


# Turning 17 opens the transition plan: a year to prepare before aftercare is offered at 18.
TRANSITION_PLAN_AGE = 17


def birthday(*, date_of_birth: date, age: int) -> date:
    """The day a child turns `age`; one born on 29 February turns it on 1 March in common years."""
    year = date_of_birth.year + age
    try:
        return date_of_birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def transition_plan_opens_on(*, date_of_birth: date) -> date:
    return birthday(date_of_birth=date_of_birth, age=TRANSITION_PLAN_AGE)


def open_transition(*, settled: ChildSettledV1, tenant_id: str) -> tuple[Child, Transition]:
    """A settled child's transition record: its dates, and the day its plan opens."""
    child = Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        date_of_birth=settled.date_of_birth,
        settled_on=settled.settled_on,
    )
    transition = Transition(
        child_id=settled.child_id,
        tenant_id=tenant_id,
        plan_opens_on=transition_plan_opens_on(date_of_birth=settled.date_of_birth),
        aftercare_decision=None,
    )
    return child, transition
