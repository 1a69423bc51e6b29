"""Assessments: one score per life domain, on a schedule the municipality sets."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from havn import permissions
from havn.errors import InvalidInput
from havn.text import optional_text, required_text
from services.care.domain import LifeDomain
from services.care.domain.care_plans import life_domain, require_open
from services.care.models import Assessment, CarePlan

# The needs assessment on arrival (seed 000) is done within the child's first two weeks,
# then at the municipality's interval.
FIRST_ASSESSMENT_AFTER = timedelta(days=14)
DEFAULT_ASSESSMENT_INTERVAL_MONTHS = 6
ASSESSMENT_INTERVAL_RANGE = range(1, 25)
SCORE_RANGE = range(1, 6)


def first_assessment_due(*, settled_on: date) -> date:
    return settled_on + FIRST_ASSESSMENT_AFTER


@dataclass(frozen=True, kw_only=True)
class ScoreInput:
    domain: str
    score: int


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_interval(months: int) -> int:
    if months not in ASSESSMENT_INTERVAL_RANGE:
        raise InvalidInput(
            f"the assessment interval is {ASSESSMENT_INTERVAL_RANGE.start} to "
            f"{ASSESSMENT_INTERVAL_RANGE.stop - 1} months",
            field="interval_months",
        )
    return months


def check_scores(scores: Sequence[ScoreInput]) -> list[dict[str, Any]]:
    """One 1-5 score per known life domain, at least one."""
    if not scores:
        raise InvalidInput("an assessment scores at least one life domain", field="scores")
    checked: list[dict[str, Any]] = []
    seen: set[LifeDomain] = set()
    for index, entry in enumerate(scores):
        domain = life_domain(entry.domain, field=f"scores[{index}].domain")
        if domain in seen:
            raise InvalidInput(f"{domain.value} is scored twice", field=f"scores[{index}].domain")
        seen.add(domain)
        if entry.score not in SCORE_RANGE:
            raise InvalidInput(
                f"a score is 1 to 5, not {entry.score}", field=f"scores[{index}].score"
            )
        checked.append({"domain": domain.value, "score": entry.score})
    return checked


def record_assessment(
    plan: CarePlan,
    *,
    scores: Sequence[ScoreInput],
    childs_own_words: str | None,
    notes: str | None,
    interval_months: int,
    by: str,
    today: date,
) -> Assessment:
    """Today's assessment; the next one falls due one interval later."""
    require_open(plan, act=permissions.care.ASSESSMENT_RECORD)
    checked = check_scores(scores)
    words = required_text(
        childs_own_words, field="childs_own_words", message="the child's own words are required"
    )
    next_due = add_months(today, interval_months)
    plan.next_assessment_due = next_due
    return Assessment(
        id=uuid.uuid4(),
        tenant_id=plan.tenant_id,
        child_id=plan.child_id,
        assessed_on=today,
        scores=checked,
        childs_own_words=words,
        notes=optional_text(notes),
        next_due_on=next_due,
        recorded_by=by,
    )


def assessment_overdue(next_due: date | None, *, today: date) -> bool:
    return next_due is not None and next_due < today
