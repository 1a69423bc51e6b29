"""A child's transition: opened at settlement, moved by a corrected birth date, its phase
(computed here and nowhere else), and the categories its outcomes are counted under."""

from __future__ import annotations

from datetime import date

from havn.events.contracts import ChildSettledV1
from havn.statistics.dimensions import nationality_group
from havn.vocabulary import AftercareStatus, Phase, TransitionMilestone
from services.transition.domain.aftercare import aftercare_due_on
from services.transition.domain.timeline import (
    ADULT_AGE,
    AGE_MILESTONES,
    aftercare_ends_on,
    birthday,
    schedule_milestones,
    transition_plan_opens_on,
)
from services.transition.models import Child, Milestone, Transition


def phase_of(
    *,
    date_of_birth: date,
    settled_on: date,
    aftercare_status: str | None,
    aftercare_next_offer_on: date | None,
    today: date,
) -> Phase:
    """The child's phase on `today`.

    Before arrival PREPARATION; CARE until 17; TRANSITION from 17, and after 18 while the
    aftercare decision is pending or a declined offer is to be renewed; AFTERCARE while
    accepted aftercare runs; CLOSED at 25, or when aftercare was declined with no renewal left.
    """
    if today < settled_on:
        return Phase.PREPARATION
    if today >= aftercare_ends_on(date_of_birth=date_of_birth):
        return Phase.CLOSED
    if today < transition_plan_opens_on(date_of_birth=date_of_birth):
        return Phase.CARE
    if today < birthday(date_of_birth=date_of_birth, age=ADULT_AGE):
        return Phase.TRANSITION
    if aftercare_status == AftercareStatus.ACCEPTED:
        return Phase.AFTERCARE
    if aftercare_status == AftercareStatus.DECLINED and aftercare_next_offer_on is None:
        return Phase.CLOSED
    return Phase.TRANSITION


def phase_of_transition(transition: Transition, child: Child, *, today: date) -> Phase:
    return phase_of(
        date_of_birth=child.date_of_birth,
        settled_on=child.settled_on,
        aftercare_status=transition.aftercare_decision,
        aftercare_next_offer_on=transition.aftercare_next_offer_on,
        today=today,
    )


def open_transition(
    *, settled: ChildSettledV1, tenant_id: str
) -> tuple[Child, Transition, list[Milestone]]:
    """A settled child's transition record, dated from its birth, and its timeline."""
    child = Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        date_of_birth=settled.date_of_birth,
        settled_on=settled.settled_on,
        revision=settled.revision,
    )
    transition = Transition(
        child_id=settled.child_id,
        tenant_id=tenant_id,
        plan_opens_on=transition_plan_opens_on(date_of_birth=settled.date_of_birth),
        aftercare_decision=None,
        aftercare_due_on=birthday(date_of_birth=settled.date_of_birth, age=ADULT_AGE),
    )
    return child, transition, schedule_milestones(child)


def correct_date_of_birth(transition: Transition, *, date_of_birth: date) -> None:
    """Moves the age-driven dates to a corrected date of birth.

    Milestones already reached stay as they were: their event has gone out and others have
    acted on it. Pending ones move, and fire on their new date (at once if it has passed).
    """
    child = transition.child
    if child.date_of_birth == date_of_birth:
        return
    child.date_of_birth = date_of_birth
    transition.plan_opens_on = transition_plan_opens_on(date_of_birth=date_of_birth)
    transition.aftercare_due_on = aftercare_due_on(
        date_of_birth=date_of_birth, decisions=transition.decisions
    )
    for milestone in transition.milestones:
        kind = TransitionMilestone(milestone.milestone)
        if milestone.reached_on is None and kind in AGE_MILESTONES:
            milestone.due_on = birthday(date_of_birth=date_of_birth, age=AGE_MILESTONES[kind])


def keep_statistical_categories(
    child: Child, *, sex: str, nationality: str, care_arrangement: str
) -> None:
    """Keeps the categories the child's outcomes are counted under, and nothing finer.

    Of the nationality only its group is kept (a named country, or the region of a rare
    one), so that transition never holds what the statistics would not show.
    """
    child.sex = sex
    child.nationality_group = nationality_group(nationality)
    child.care_arrangement = care_arrangement
