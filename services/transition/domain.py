"""Transition rules: the age-driven timeline, the phase, the plan, aftercare, housing, outcomes.

Functions here build or change model objects and raise typed errors; they never touch HTTP,
SQL text or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1
from services.transition.models import (
    AftercareDecision,
    Child,
    Milestone,
    Outcome,
    PlanGoal,
    Transition,
)


class OutcomeStatus(StrEnum):
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    INTRODUCTION_PROGRAMME = "INTRODUCTION_PROGRAMME"
    NEITHER = "NEITHER"
    UNKNOWN = "UNKNOWN"


class Phase(StrEnum):
    """API.md's `Phase`: where a child is on the way from arrival to an independent life."""

    PREPARATION = "PREPARATION"
    CARE = "CARE"
    TRANSITION = "TRANSITION"
    AFTERCARE = "AFTERCARE"
    CLOSED = "CLOSED"


class MilestoneKind(StrEnum):
    AGE_17 = "AGE_17"
    AGE_18 = "AGE_18"
    AGE_20 = "AGE_20"
    AGE_25 = "AGE_25"
    AFTERCARE_OFFER_RENEWAL = "AFTERCARE_OFFER_RENEWAL"
    OUTCOME_1_YEAR = "OUTCOME_1_YEAR"
    OUTCOME_2_YEARS = "OUTCOME_2_YEARS"
    OUTCOME_4_YEARS = "OUTCOME_4_YEARS"
    OUTCOME_5_YEARS = "OUTCOME_5_YEARS"


class AftercareStatus(StrEnum):
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class PlanDomain(StrEnum):
    HOUSING = "HOUSING"
    EDUCATION = "EDUCATION"
    WORK = "WORK"
    FINANCES = "FINANCES"
    HEALTH = "HEALTH"


class GoalStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    ACHIEVED = "ACHIEVED"


class HousingType(StrEnum):
    OWN_FLAT = "OWN_FLAT"
    SHARED = "SHARED"
    SUPPORTED = "SUPPORTED"


# Turning 17 opens the transition plan: a year to prepare before aftercare is offered at 18.
TRANSITION_PLAN_AGE = 17
# At 18 guardianship ends and aftercare (ettervern) must be decided.
ADULT_AGE = 18
# The state's grant to the municipality for the child runs until the year it turns 20.
STATE_GRANT_ENDS_AGE = 20
# Aftercare may run to 25; then the case closes.
AFTERCARE_ENDS_AGE = 25
# A declined offer must be renewed within a year.
RENEWED_OFFER_WITHIN_YEARS = 1

AGE_MILESTONES: dict[MilestoneKind, int] = {
    MilestoneKind.AGE_17: TRANSITION_PLAN_AGE,
    MilestoneKind.AGE_18: ADULT_AGE,
    MilestoneKind.AGE_20: STATE_GRANT_ENDS_AGE,
    MilestoneKind.AGE_25: AFTERCARE_ENDS_AGE,
}
# Outcomes are recorded this many years after settlement (Bergen's "after four years").
OUTCOME_MILESTONES: dict[int, MilestoneKind] = {
    1: MilestoneKind.OUTCOME_1_YEAR,
    2: MilestoneKind.OUTCOME_2_YEARS,
    4: MilestoneKind.OUTCOME_4_YEARS,
    5: MilestoneKind.OUTCOME_5_YEARS,
}
MILESTONE_LABELS: dict[MilestoneKind, str] = {
    MilestoneKind.AGE_17: "Turns 17: the transition plan opens",
    MilestoneKind.AGE_18: "Turns 18: guardianship ends; the aftercare decision is due",
    MilestoneKind.AGE_20: "Turns 20: the state grant period ends",
    MilestoneKind.AGE_25: "Turns 25: aftercare ends and the case closes",
    MilestoneKind.AFTERCARE_OFFER_RENEWAL: "Aftercare was declined: a renewed offer is due",
    MilestoneKind.OUTCOME_1_YEAR: "One year after settlement: record the outcome",
    MilestoneKind.OUTCOME_2_YEARS: "Two years after settlement: record the outcome",
    MilestoneKind.OUTCOME_4_YEARS: "Four years after settlement: record the outcome",
    MilestoneKind.OUTCOME_5_YEARS: "Five years after settlement: record the outcome",
}


# --- dates --------------------------------------------------------------------------------


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


# --- the phase: computed here and nowhere else ----------------------------------------------


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


# --- settlement and the timeline ----------------------------------------------------------


def age_milestone(
    *, child_id: uuid.UUID, tenant_id: str, kind: MilestoneKind, born: date
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


def aftercare_due_on(*, date_of_birth: date, decisions: Sequence[AftercareDecision]) -> date | None:
    """When an aftercare decision is (next) due: at 18, then at each declined offer's renewal.

    An accepted offer needs no further decision; a new offer keeps the date it answers.
    """
    due: date | None = birthday(date_of_birth=date_of_birth, age=ADULT_AGE)
    for decision in decisions:
        if decision.status == AftercareStatus.ACCEPTED:
            due = None
        elif decision.status == AftercareStatus.DECLINED:
            due = decision.next_offer_on
    return due


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
        kind = MilestoneKind(milestone.milestone)
        if milestone.reached_on is None and kind in AGE_MILESTONES:
            milestone.due_on = birthday(date_of_birth=date_of_birth, age=AGE_MILESTONES[kind])


def reach_milestone(milestone: Milestone, *, today: date) -> None:
    """Marks a due milestone reached; the caller publishes its event in the same transaction."""
    if milestone.reached_on is not None:
        raise Conflict("the milestone was reached already")
    if milestone.due_on > today:
        raise Conflict(f"the milestone is not due before {milestone.due_on.isoformat()}")
    milestone.reached_on = today


# --- the transition plan ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NewGoal:
    domain: str
    description: str
    status: str


def _require_open_case(transition: Transition, *, today: date) -> None:
    if today >= aftercare_ends_on(date_of_birth=transition.child.date_of_birth):
        raise Conflict("the case closed when the youth turned 25")


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
    _require_open_case(transition, today=today)
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
    transition.youths_own_words = (youths_own_words or "").strip() or None
    transition.plan_updated_on = today


# --- aftercare ----------------------------------------------------------------------------


def decide_aftercare(
    transition: Transition,
    *,
    status: AftercareStatus,
    decided_on: date,
    next_offer_on: date | None,
    recorded_by: str,
    now: datetime,
    today: date,
) -> AftercareDecision:
    """Records an aftercare decision; a declined offer is to be renewed within a year.

    No decision before the 18th birthday, none in the future, none after aftercare ended,
    none dated before the previous one. A decline gets a renewal date (a year on, or earlier
    if given) unless aftercare ends before then; any decision answers a pending renewal.
    """
    born = transition.child.date_of_birth
    decisions = transition.decisions
    adult_on = birthday(date_of_birth=born, age=ADULT_AGE)
    ends_on = aftercare_ends_on(date_of_birth=born)
    if decided_on < adult_on:
        raise InvalidInput(
            f"an aftercare decision can only be made from the 18th birthday "
            f"({adult_on.isoformat()})",
            field="decidedOn",
        )
    if decided_on > today:
        raise InvalidInput("the decision date is in the future", field="decidedOn")
    if decided_on >= ends_on:
        raise InvalidInput(
            f"aftercare ended on the 25th birthday ({ends_on.isoformat()})", field="decidedOn"
        )
    if decisions and decided_on < decisions[-1].decided_on:
        raise InvalidInput(
            f"the decision is dated before the previous one ({decisions[-1].decided_on})",
            field="decidedOn",
        )
    if status != AftercareStatus.DECLINED and next_offer_on is not None:
        raise InvalidInput(
            "a next offer date belongs only to a declined offer", field="nextOfferOn"
        )
    if status == AftercareStatus.DECLINED:
        latest = add_years(decided_on, RENEWED_OFFER_WITHIN_YEARS)
        if next_offer_on is None:
            next_offer_on = latest if latest < ends_on else None
        elif not decided_on < next_offer_on <= latest:
            raise InvalidInput(
                f"a renewed offer is due after the decision and within a year, "
                f"by {latest.isoformat()}",
                field="nextOfferOn",
            )
        elif next_offer_on >= ends_on:
            raise InvalidInput(
                f"aftercare ends on {ends_on.isoformat()}; no offer can follow it",
                field="nextOfferOn",
            )
    decision = AftercareDecision(
        id=uuid.uuid4(),
        child_id=transition.child_id,
        tenant_id=transition.tenant_id,
        status=status.value,
        decided_on=decided_on,
        next_offer_on=next_offer_on,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    decisions.append(decision)
    transition.aftercare_decision = status.value
    transition.aftercare_decided_on = decided_on
    transition.aftercare_next_offer_on = next_offer_on
    transition.aftercare_due_on = aftercare_due_on(date_of_birth=born, decisions=decisions)
    _reschedule_renewal(transition, decision)
    return decision


def _reschedule_renewal(transition: Transition, decision: AftercareDecision) -> None:
    """A new decision answers a pending renewal; a decline calls for the next one."""
    renewals = [
        m for m in transition.milestones if m.milestone == MilestoneKind.AFTERCARE_OFFER_RENEWAL
    ]
    for pending in [m for m in renewals if m.reached_on is None]:
        transition.milestones.remove(pending)
    if decision.status != AftercareStatus.DECLINED or decision.next_offer_on is None:
        return
    transition.milestones.append(
        Milestone(
            child_id=transition.child_id,
            milestone=MilestoneKind.AFTERCARE_OFFER_RENEWAL.value,
            # Numbered past every renewal ever scheduled, so a withdrawn one's key is not reused.
            occurrence=max((m.occurrence for m in renewals), default=0) + 1,
            tenant_id=transition.tenant_id,
            due_on=decision.next_offer_on,
            reached_on=None,
            outcome_years=None,
        )
    )


# --- housing ------------------------------------------------------------------------------


def record_housing(
    transition: Transition,
    *,
    housing_type: HousingType,
    start_loan: bool | None,
    housing_allowance: bool | None,
    today: date,
) -> None:
    """Where the youth lives or will live, with the start loan and housing allowance flags;
    a flag given as None keeps what was recorded (none: no loan, no allowance)."""
    _require_open_case(transition, today=today)
    transition.housing_type = housing_type.value
    if start_loan is not None:
        transition.start_loan = start_loan
    if housing_allowance is not None:
        transition.housing_allowance = housing_allowance
    transition.start_loan = bool(transition.start_loan)
    transition.housing_allowance = bool(transition.housing_allowance)
    transition.housing_updated_on = today


# --- outcomes -----------------------------------------------------------------------------


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
            field="milestoneYears",
        )
    due_on = outcome_due_on(settled_on=transition.child.settled_on, milestone_years=milestone_years)
    if today < due_on:
        raise InvalidInput(
            f"the {milestone_years}-year outcome is due on {due_on.isoformat()}; "
            "it cannot be recorded before",
            field="milestoneYears",
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
