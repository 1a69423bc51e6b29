"""Transition's wire models (what its routes take and answer) and how each is presented."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from havn.dates import EventDate
from havn.numbers import Int32
from havn.text import OneLine, Paragraphs
from havn.vocabulary import (
    AftercareStatus,
    GoalStatus,
    HousingType,
    OutcomeStatus,
    Phase,
    TransitionMilestone,
)
from services.transition.domain import PlanDomain
from services.transition.domain.outcomes import outcomes_due
from services.transition.domain.timeline import (
    ADULT_AGE,
    MILESTONE_LABELS,
    aftercare_ends_on,
    birthday,
)
from services.transition.domain.transitions import phase_of_transition
from services.transition.models import Child, Transition


class GoalIn(BaseModel):
    domain: Annotated[str, OneLine(50)]
    description: Annotated[str, Paragraphs(2000)]
    status: Annotated[str, OneLine(50)] = GoalStatus.NOT_STARTED.value


class PlanIn(BaseModel):
    goals: list[GoalIn] = Field(max_length=20)
    youths_own_words: Annotated[str, Paragraphs(4000)] | None = None


class AftercareDecisionIn(BaseModel):
    status: AftercareStatus
    decided_on: EventDate
    next_offer_on: EventDate | None = None


class HousingIn(BaseModel):
    type: HousingType
    # None (or left out) keeps what was recorded: no start loan, no allowance at first.
    start_loan: bool | None = None
    housing_allowance: bool | None = None


class OutcomeIn(BaseModel):
    milestone_years: Int32
    status: OutcomeStatus


class OutcomeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    milestone_years: int
    status: OutcomeStatus
    recorded_on: date


class OutcomeDueOut(BaseModel):
    milestone_years: int
    due_on: date


class MilestoneOut(BaseModel):
    milestone: TransitionMilestone
    occurrence: int
    label: str
    due_on: date
    reached_on: date | None
    outcome_years: int | None


class GoalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    domain: PlanDomain
    description: str
    status: GoalStatus


class PlanOut(BaseModel):
    open: bool
    opens_on: date
    goals: list[GoalOut]
    youths_own_words: str | None
    updated_on: date | None


class AftercareDecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: AftercareStatus
    decided_on: date
    next_offer_on: date | None
    recorded_by: str


class AftercareOut(BaseModel):
    status: AftercareStatus | None
    decided_on: date | None
    next_offer_on: date | None
    due_on: date | None
    overdue: bool
    ends_on: date
    history: list[AftercareDecisionOut]


class HousingOut(BaseModel):
    type: HousingType
    start_loan: bool
    housing_allowance: bool
    updated_on: date | None


class TransitionSummaryOut(BaseModel):
    """What a caseload shows of a transition: read from one row, no timeline or history."""

    child_id: uuid.UUID
    # The child's phase (PREPARATION, CARE, TRANSITION, AFTERCARE, CLOSED), computed by
    # `domain.transitions.phase_of` and nowhere else.
    phase: Phase
    plan_opens_on: date
    turns_18_on: date
    aftercare_decision: str | None


class TransitionOut(TransitionSummaryOut):
    outcomes: list[OutcomeOut]
    outcomes_due: list[OutcomeDueOut]
    timeline: list[MilestoneOut]
    plan: PlanOut
    aftercare: AftercareOut
    housing: HousingOut | None


class TransitionCaseOut(BaseModel):
    """A caseload entry: the transition, and the date the filter is about."""

    key_on: date
    transition: TransitionOut


class PhaseOut(BaseModel):
    child_id: uuid.UUID
    phase: Phase


# --- how each is presented ---------------------------------------------------------------


def present_summary(transition: Transition, child: Child, today: date) -> TransitionSummaryOut:
    return TransitionSummaryOut(
        child_id=transition.child_id,
        phase=phase_of_transition(transition, child, today=today),
        plan_opens_on=transition.plan_opens_on,
        turns_18_on=birthday(date_of_birth=child.date_of_birth, age=ADULT_AGE),
        aftercare_decision=transition.aftercare_decision,
    )


def present_transition(transition: Transition, today: date) -> TransitionOut:
    child = transition.child
    ends_on = aftercare_ends_on(date_of_birth=child.date_of_birth)
    due_on = transition.aftercare_due_on
    housing = (
        HousingOut(
            type=HousingType(transition.housing_type),
            start_loan=bool(transition.start_loan),
            housing_allowance=bool(transition.housing_allowance),
            updated_on=transition.housing_updated_on,
        )
        if transition.housing_type
        else None
    )
    return TransitionOut(
        **dict(present_summary(transition, child, today)),
        outcomes=[
            OutcomeOut.model_validate(o)
            for o in sorted(transition.outcomes, key=lambda o: o.milestone_years)
        ],
        outcomes_due=[
            OutcomeDueOut(milestone_years=years, due_on=day)
            for years, day in outcomes_due(transition, today=today)
        ],
        timeline=[
            MilestoneOut(
                milestone=TransitionMilestone(m.milestone),
                occurrence=m.occurrence,
                label=MILESTONE_LABELS[TransitionMilestone(m.milestone)],
                due_on=m.due_on,
                reached_on=m.reached_on,
                outcome_years=m.outcome_years,
            )
            for m in sorted(
                transition.milestones, key=lambda m: (m.due_on, m.milestone, m.occurrence)
            )
        ],
        plan=PlanOut(
            open=transition.plan_opens_on <= today < ends_on,
            opens_on=transition.plan_opens_on,
            goals=[
                GoalOut.model_validate(g) for g in sorted(transition.goals, key=lambda g: g.domain)
            ],
            youths_own_words=transition.youths_own_words,
            updated_on=transition.plan_updated_on,
        ),
        aftercare=AftercareOut(
            status=(
                AftercareStatus(transition.aftercare_decision)
                if transition.aftercare_decision
                else None
            ),
            decided_on=transition.aftercare_decided_on,
            next_offer_on=transition.aftercare_next_offer_on,
            due_on=due_on,
            overdue=due_on is not None and due_on < today < ends_on,
            ends_on=ends_on,
            history=[AftercareDecisionOut.model_validate(d) for d in transition.decisions],
        ),
        housing=housing,
    )


def present_phase(child: Child, transition: Transition, today: date) -> PhaseOut:
    return PhaseOut(child_id=child.id, phase=phase_of_transition(transition, child, today=today))


def present_case(transition: Transition, key_on: date, today: date) -> TransitionCaseOut:
    return TransitionCaseOut(key_on=key_on, transition=present_transition(transition, today))
