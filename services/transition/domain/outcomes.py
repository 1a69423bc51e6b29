"""Outcomes: where the child stands 1, 2, 4 and 5 years after settlement."""

from __future__ import annotations

from datetime import date

from havn.errors import InvalidInput
from havn.vocabulary import OutcomeStatus
from services.transition.domain.timeline import OUTCOME_MILESTONES, add_years
from services.transition.models import Outcome, Transition


def outcome_due_on(*, settled_on: date, milestone_years: int) -> date:
    return add_years(settled_on, milestone_years)


def record_outcome(
    transition: Transition,
    *,
    milestone_years: int,
    status: OutcomeStatus,
    today: date,
) -> Outcome:
    """Records (or corrects) the outcome at a milestone; never before the milestone's date."""
    if milestone_years not in OUTCOME_MILESTONES:
        allowed = ", ".join(str(years) for years in OUTCOME_MILESTONES)
        raise InvalidInput(
            f"outcomes are recorded {allowed} years after settlement, not {milestone_years}",
            field="milestone_years",
        )
    due_on = outcome_due_on(settled_on=transition.child.settled_on, milestone_years=milestone_years)
    if today < due_on:
        raise InvalidInput(
            f"the {milestone_years}-year outcome is due on {due_on.isoformat()}; "
            "it cannot be recorded before",
            field="milestone_years",
        )
    existing = next((o for o in transition.outcomes if o.milestone_years == milestone_years), None)
    if existing is not None:
        existing.status = status.value
        existing.recorded_on = today
        return existing
    outcome = Outcome(
        child_id=transition.child_id,
        tenant_id=transition.tenant_id,
        milestone_years=milestone_years,
        status=status.value,
        recorded_on=today,
    )
    transition.outcomes.append(outcome)
    return outcome


def outcomes_due(transition: Transition, *, today: date) -> list[tuple[int, date]]:
    """Milestones whose date has come and whose outcome is missing, oldest first."""
    child = transition.child
    recorded = {outcome.milestone_years for outcome in transition.outcomes}
    return [
        (years, due_on)
        for years in OUTCOME_MILESTONES
        if years not in recorded
        and (due_on := outcome_due_on(settled_on=child.settled_on, milestone_years=years)) <= today
    ]
