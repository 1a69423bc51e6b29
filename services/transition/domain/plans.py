"""The transition plan: one goal per life domain, and the youth's own words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from havn.errors import Conflict, InvalidInput
from havn.text import optional_text
from havn.vocabulary import GoalStatus
from services.transition.domain import PlanDomain
from services.transition.domain.timeline import require_open_case
from services.transition.models import PlanGoal, Transition


@dataclass(frozen=True, kw_only=True)
class NewGoal:
    domain: str
    description: str
    status: str


def write_plan(
    transition: Transition,
    *,
    goals: Sequence[NewGoal],
    youths_own_words: str | None,
    today: date,
) -> None:
    """Replaces the transition plan: one goal per life domain, and the youth's own words.

    Every goal is checked before anything changes, so a bad one leaves the plan as it was.
    """
    if today < transition.plan_opens_on:
        raise Conflict(
            f"the transition plan opens on {transition.plan_opens_on.isoformat()}, at 17"
        )
    require_open_case(transition, today=today)
    checked: list[PlanGoal] = []
    for index, goal in enumerate(goals):
        field = f"goals[{index}]"
        try:
            domain = PlanDomain(goal.domain.strip().upper())
        except ValueError:
            allowed = ", ".join(d.value for d in PlanDomain)
            raise InvalidInput(
                f"'{goal.domain}' is not a transition plan domain; use one of {allowed}",
                field=f"{field}.domain",
            ) from None
        if any(existing.domain == domain for existing in checked):
            raise InvalidInput(
                f"the plan has two goals for {domain}; give one per domain",
                field=f"{field}.domain",
            )
        try:
            status = GoalStatus(goal.status)
        except ValueError:
            allowed = ", ".join(s.value for s in GoalStatus)
            raise InvalidInput(
                f"'{goal.status}' is not a goal status; use one of {allowed}",
                field=f"{field}.status",
            ) from None
        description = goal.description.strip()
        if not description:
            raise InvalidInput(
                f"the {domain} goal needs a description", field=f"{field}.description"
            )
        checked.append(
            PlanGoal(
                child_id=transition.child_id,
                tenant_id=transition.tenant_id,
                domain=domain.value,
                description=description,
                status=status.value,
            )
        )
    transition.goals = checked
    transition.youths_own_words = optional_text(youths_own_words)
    transition.plan_updated_on = today
