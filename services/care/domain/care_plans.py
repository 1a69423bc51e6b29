"""The care plan: its goals, the child's own words, approval and the versions kept."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from havn import permissions
from havn.errors import Conflict, InvalidInput
from havn.permissions import Permission
from havn.text import optional_text, required_text
from havn.vocabulary import CarePlanStatus
from services.care.domain import LifeDomain
from services.care.models import CareGoal, CarePlan, CarePlanVersion


@dataclass(frozen=True, kw_only=True)
class GoalInput:
    domain: str
    description: str
    measures: list[str]
    responsible: str
    review_on: date


def life_domain(value: str, *, field: str) -> LifeDomain:
    """A life domain by name; `family tracing`, `Family-Tracing` and `family_tracing` alike."""
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    try:
        return LifeDomain(key)
    except ValueError:
        known = ", ".join(d.value for d in LifeDomain)
        raise InvalidInput(
            f"'{value}' is not a life domain; use one of {known}", field=field
        ) from None


def check_goals(goals: Sequence[GoalInput], *, today: date) -> list[GoalInput]:
    """Validates a plan's goals, one per life domain, each reviewed today or later."""
    checked: list[GoalInput] = []
    seen: set[LifeDomain] = set()
    for index, goal in enumerate(goals):
        at = f"goals[{index}]"
        domain = life_domain(goal.domain, field=f"{at}.domain")
        if domain in seen:
            raise InvalidInput(
                f"the plan has two goals in {domain.value}; a domain has one goal with its "
                "measures",
                field=f"{at}.domain",
            )
        seen.add(domain)
        if goal.review_on < today:
            raise InvalidInput(
                f"review date {goal.review_on} is in the past", field=f"{at}.review_on"
            )
        measures = [m.strip() for m in goal.measures if m.strip()]
        if not measures:
            raise InvalidInput("a goal needs at least one measure", field=f"{at}.measures")
        checked.append(
            GoalInput(
                domain=domain.value,
                description=required_text(
                    goal.description,
                    field=f"{at}.description",
                    message="a goal's description is required",
                ),
                measures=measures,
                responsible=required_text(
                    goal.responsible,
                    field=f"{at}.responsible",
                    message="a responsible party is required",
                ),
                review_on=goal.review_on,
            )
        )
    return checked


def revise_care_plan(
    plan: CarePlan, *, goals: Sequence[GoalInput], childs_own_words: str | None, today: date
) -> list[CareGoal]:
    """Replaces the plan's goals and the child's words; returns the new goals to keep.

    An approved plan that changes becomes REVISED under the next version number: the
    approved version stays as it was, in the plan's history.
    """
    require_open(plan, act=permissions.care.PLAN_REVISE)
    checked = check_goals(goals, today=today)
    if plan.status == CarePlanStatus.APPROVED:
        plan.status = CarePlanStatus.REVISED
        plan.version += 1
    plan.childs_own_words = optional_text(childs_own_words)
    return [
        CareGoal(
            id=uuid.uuid4(),
            tenant_id=plan.tenant_id,
            child_id=plan.child_id,
            domain=goal.domain,
            description=goal.description,
            measures=goal.measures,
            responsible=goal.responsible,
            review_on=goal.review_on,
        )
        for goal in checked
    ]


def plan_snapshot(goals: Sequence[CareGoal], childs_own_words: str | None) -> dict[str, Any]:
    """The content of a plan, as an approved version keeps it."""
    return {
        "goals": [
            {
                "domain": goal.domain,
                "description": goal.description,
                "measures": list(goal.measures),
                "responsible": goal.responsible,
                "review_on": goal.review_on.isoformat() if goal.review_on else None,
            }
            for goal in sorted(goals, key=lambda g: g.domain)
        ],
        "childs_own_words": childs_own_words,
    }


GOAL_FIELDS = (
    ("description", "description"),
    ("measures", "measures"),
    ("responsible", "responsible party"),
    ("review_on", "review date"),
)


def describe_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What changed since the previous approved version, one line per change."""
    if previous is None:
        return ["first approved version"]
    before = {goal["domain"]: goal for goal in previous["goals"]}
    after = {goal["domain"]: goal for goal in current["goals"]}
    changes: list[str] = []
    for domain in LifeDomain:
        old, new = before.get(domain.value), after.get(domain.value)
        if old is None and new is not None:
            changes.append(f"{domain.value}: goal added")
        elif old is not None and new is None:
            changes.append(f"{domain.value}: goal removed")
        elif old is not None and new is not None:
            changed = [label for key, label in GOAL_FIELDS if old.get(key) != new.get(key)]
            if changed:
                changes.append(f"{domain.value}: {', '.join(changed)} changed")
    if previous.get("childs_own_words") != current.get("childs_own_words"):
        changes.append("the child's own words changed")
    return changes or ["approved again without changes"]


def approve_care_plan(
    plan: CarePlan,
    *,
    goals: Sequence[CareGoal],
    previous: CarePlanVersion | None,
    by: str,
    now: datetime,
    today: date,
) -> CarePlanVersion:
    """Approves the plan as it stands and returns the version kept of it."""
    require_open(plan, act=permissions.care.PLAN_APPROVE)
    if plan.status == CarePlanStatus.APPROVED:
        raise Conflict("this version of the plan is already approved; change it to revise it")
    if not (plan.childs_own_words or "").strip():
        raise Conflict(
            "the child's own words are required before the plan is approved",
            field="childs_own_words",
        )
    if not goals:
        raise Conflict("a plan without goals cannot be approved", field="goals")
    overdue = sorted(goal.domain for goal in goals if goal.review_on and goal.review_on < today)
    if overdue:
        raise Conflict(
            f"the review date of the {', '.join(overdue)} goal has passed; set a new one",
            field="goals",
        )
    snapshot = plan_snapshot(goals, plan.childs_own_words)
    plan.status = CarePlanStatus.APPROVED
    plan.approved_on = today
    plan.approved_by = by
    return CarePlanVersion(
        id=uuid.uuid4(),
        tenant_id=plan.tenant_id,
        child_id=plan.child_id,
        version=plan.version,
        approved_by=by,
        approved_at=now,
        snapshot=snapshot,
        changes=describe_changes(previous.snapshot if previous else None, snapshot),
    )


def require_open(plan: CarePlan, *, act: Permission) -> None:
    """Refuses a change to a closed plan; its content and approved versions stay readable."""
    if plan.status == CarePlanStatus.CLOSED:
        raise Conflict(
            f"cannot {act.act}: the care plan is CLOSED ({plan.closed_reason}, on {plan.closed_on})"
        )
