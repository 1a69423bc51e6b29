"""The age-driven timeline: birthdays, the ages that open and close the case, and milestones."""

from __future__ import annotations

import uuid
from datetime import date

from havn.errors import Conflict
from havn.vocabulary import TransitionMilestone
from services.transition.models import Child, Milestone, Transition

# Turning 17 opens the transition plan: a year to prepare before aftercare is offered at 18.
TRANSITION_PLAN_AGE = 17
# At 18 guardianship ends and aftercare (ettervern) must be decided.
ADULT_AGE = 18
# The state's grant to the municipality for the child runs until the year it turns 20.
STATE_GRANT_ENDS_AGE = 20
# Aftercare may run to 25; then the case closes.
AFTERCARE_ENDS_AGE = 25

AGE_MILESTONES: dict[TransitionMilestone, int] = {
    TransitionMilestone.AGE_17: TRANSITION_PLAN_AGE,
    TransitionMilestone.AGE_18: ADULT_AGE,
    TransitionMilestone.AGE_20: STATE_GRANT_ENDS_AGE,
    TransitionMilestone.AGE_25: AFTERCARE_ENDS_AGE,
}
# Outcomes are recorded this many years after settlement (Bergen's "after four years").
OUTCOME_MILESTONES: dict[int, TransitionMilestone] = {
    1: TransitionMilestone.OUTCOME_1_YEAR,
    2: TransitionMilestone.OUTCOME_2_YEARS,
    4: TransitionMilestone.OUTCOME_4_YEARS,
    5: TransitionMilestone.OUTCOME_5_YEARS,
}
MILESTONE_LABELS: dict[TransitionMilestone, str] = {
    TransitionMilestone.AGE_17: "Turns 17: the transition plan opens",
    TransitionMilestone.AGE_18: "Turns 18: guardianship ends; the aftercare decision is due",
    TransitionMilestone.AGE_20: "Turns 20: the state grant period ends",
    TransitionMilestone.AGE_25: "Turns 25: aftercare ends and the case closes",
    TransitionMilestone.AFTERCARE_OFFER_RENEWAL: "Aftercare was declined: a renewed offer is due",
    TransitionMilestone.OUTCOME_1_YEAR: "One year after settlement: record the outcome",
    TransitionMilestone.OUTCOME_2_YEARS: "Two years after settlement: record the outcome",
    TransitionMilestone.OUTCOME_4_YEARS: "Four years after settlement: record the outcome",
    TransitionMilestone.OUTCOME_5_YEARS: "Five years after settlement: record the outcome",
}


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def birthday(*, date_of_birth: date, age: int) -> date:
    """The day a child turns `age`; one born on 29 February turns it on 1 March in common years."""
    return add_years(date_of_birth, age)


def transition_plan_opens_on(*, date_of_birth: date) -> date:
    return birthday(date_of_birth=date_of_birth, age=TRANSITION_PLAN_AGE)


def aftercare_ends_on(*, date_of_birth: date) -> date:
    return birthday(date_of_birth=date_of_birth, age=AFTERCARE_ENDS_AGE)


def require_open_case(transition: Transition, *, today: date) -> None:
    """The case closes at 25: nothing is planned or recorded after."""
    if today >= aftercare_ends_on(date_of_birth=transition.child.date_of_birth):
        raise Conflict("the case closed when the youth turned 25")


def age_milestone(
    *, child_id: uuid.UUID, tenant_id: str, kind: TransitionMilestone, born: date
) -> Milestone:
    return Milestone(
        child_id=child_id,
        milestone=kind.value,
        occurrence=0,
        tenant_id=tenant_id,
        due_on=birthday(date_of_birth=born, age=AGE_MILESTONES[kind]),
        reached_on=None,
        outcome_years=None,
    )


def schedule_milestones(child: Child) -> list[Milestone]:
    """The timeline a settled child starts with: its birthdays and its outcome dates."""
    ages = [
        age_milestone(
            child_id=child.id, tenant_id=child.tenant_id, kind=kind, born=child.date_of_birth
        )
        for kind in AGE_MILESTONES
    ]
    outcomes = [
        Milestone(
            child_id=child.id,
            milestone=kind.value,
            occurrence=0,
            tenant_id=child.tenant_id,
            due_on=add_years(child.settled_on, years),
            reached_on=None,
            outcome_years=years,
        )
        for years, kind in OUTCOME_MILESTONES.items()
    ]
    return ages + outcomes


def reach_milestone(milestone: Milestone, *, today: date) -> None:
    """Marks a due milestone reached; the caller publishes its event in the same transaction."""
    if milestone.reached_on is not None:
        raise Conflict("the milestone was reached already")
    if milestone.due_on > today:
        raise Conflict(f"the milestone is not due before {milestone.due_on.isoformat()}")
    milestone.reached_on = today
