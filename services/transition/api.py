"""Internal REST routes of the transition service (/v1), called by the gateway with a token."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from havn import permissions
from havn.audit import record_access
from havn.auth import DataClass, Principal
from havn.dates import EventDate
from havn.errors import NotFound
from havn.events.contracts import Contract
from havn.events.contracts.transition import AftercareDecidedV1, OutcomeRecordedV1
from havn.events.outbox import publish
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.numbers import Int32
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from havn.reach import Reach, in_childs_municipalities
from havn.text import OneLine, Paragraphs
from services.transition import domain, policy, repository
from services.transition.domain import (
    AftercareStatus,
    GoalStatus,
    HousingType,
    MilestoneKind,
    OutcomeStatus,
    Phase,
    PlanDomain,
)
from services.transition.models import Child, Transition, events

SERVICE = "transition"
T = TypeVar("T")
router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)

# --- wire models --------------------------------------------------------------------------


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
    milestone: MilestoneKind
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
    # `domain.phase_of` and nowhere else.
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


# --- presenters ---------------------------------------------------------------------------


def present_summary(transition: Transition, child: Child, today: date) -> TransitionSummaryOut:
    return TransitionSummaryOut(
        child_id=transition.child_id,
        phase=domain.phase_of_transition(transition, child, today=today),
        plan_opens_on=transition.plan_opens_on,
        turns_18_on=domain.birthday(date_of_birth=child.date_of_birth, age=domain.ADULT_AGE),
        aftercare_decision=transition.aftercare_decision,
    )


def present_transition(transition: Transition, today: date) -> TransitionOut:
    child = transition.child
    ends_on = domain.aftercare_ends_on(date_of_birth=child.date_of_birth)
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
            for years, day in domain.outcomes_due(transition, today=today)
        ],
        timeline=[
            MilestoneOut(
                milestone=MilestoneKind(m.milestone),
                occurrence=m.occurrence,
                label=domain.MILESTONE_LABELS[MilestoneKind(m.milestone)],
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


# --- shared steps of every write ------------------------------------------------------------


async def load_for_change(
    session: UnitOfWork, principal: Principal, child_id: uuid.UUID
) -> Transition:
    transition = await repository.get_transition(session, child_id, for_update=True)
    if transition is None:
        raise NotFound("no such child")
    return transition


async def record_transition_change(
    session: UnitOfWork,
    principal: Principal,
    transition: Transition,
    *,
    operation: str,
    event: Contract | None = None,
) -> None:
    """A change is written, announced (if others care) and logged in one transaction."""
    await session.flush()
    if event is not None:
        await publish(
            session,
            event,
            tenant=transition.tenant_id,
            actor=principal.username,
            outbox=events.outbox,
        )
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[transition.child_id],
        data_class=DataClass.PERSONAL,
        action="write",
        operation=operation,
    )


# --- transitions --------------------------------------------------------------------------


@router.post("/transitions/batch")
async def transitions_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[TransitionOut]:
    """Loads many children's transitions in one call; ones the caller may not see are absent."""

    async def read(reader: Principal, child_ids: Sequence[uuid.UUID]) -> list[Transition]:
        reach = policy.transition_reach(reader)
        if reach.nobody:
            return []
        transitions = await repository.transitions_by_child_ids(session, child_ids, reach=reach)
        await record_access(
            session,
            reader,
            service=SERVICE,
            child_ids=[t.child_id for t in transitions],
            data_class=DataClass.PERSONAL,
            action="read",
            operation="transition.read",
        )
        return list(transitions)

    transitions = await in_childs_municipalities(session, principal, body.child_ids, read)
    today = clock.today()
    return ItemsOut[TransitionOut](items=[present_transition(t, today) for t in transitions])


async def read_rows(
    session: UnitOfWork,
    principal: Principal,
    child_ids: Sequence[uuid.UUID],
    *,
    reach_of: Callable[[Principal], Reach],
    data_class: DataClass,
    operation: str,
) -> list[tuple[Child, Transition]]:
    """Children with their transition row (no relations), those the caller reaches (also in
    the municipality a child it opened by breaking the glass lives in), logged."""

    async def read(reader: Principal, ids: Sequence[uuid.UUID]) -> list[tuple[Child, Transition]]:
        reach = reach_of(reader)
        if reach.nobody:
            return []
        cases = await repository.children_by_ids(session, ids, reach=reach)
        await record_access(
            session,
            reader,
            service=SERVICE,
            child_ids=[child.id for child, _ in cases],
            data_class=data_class,
            action="read",
            operation=operation,
        )
        return [(child, transition) for child, transition in cases]

    return await in_childs_municipalities(session, principal, child_ids, read)


@router.post("/transitions/summaries/batch")
async def transition_summaries_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[TransitionSummaryOut]:
    """Many children's transition summaries in one call (one row each, no history): what a
    caseload shows. Ones the caller may not see are absent."""
    cases = await read_rows(
        session,
        principal,
        body.child_ids,
        reach_of=policy.transition_reach,
        data_class=DataClass.PERSONAL,
        operation="transition.read",
    )
    today = clock.today()
    return ItemsOut[TransitionSummaryOut](
        items=[present_summary(transition, child, today) for child, transition in cases]
    )


@router.post("/phases/batch")
async def phases_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PhaseOut]:
    """Many children's phases in one call, for every municipal role (basic data)."""
    cases = await read_rows(
        session,
        principal,
        body.child_ids,
        reach_of=policy.phase_reach,
        data_class=DataClass.BASIC,
        operation="transition.phase.read",
    )
    today = clock.today()
    return ItemsOut[PhaseOut](
        items=[
            PhaseOut(
                child_id=child.id,
                phase=domain.phase_of_transition(transition, child, today=today),
            )
            for child, transition in cases
        ]
    )


@router.get("/transitions")
async def list_transitions(
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_READ)],
    session: UnitOfWork,
    clock: Today,
    case_filter: Annotated[repository.CaseloadFilter | None, Query(alias="filter")] = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[TransitionCaseOut]:
    """The tenant's transition caseload, optionally narrowed to what needs attention."""
    today = clock.today()
    page = await repository.list_caseload(
        session,
        case_filter=case_filter,
        reach=policy.transition_reach(principal).listed,
        today=today,
        first=first,
        after=after,
    )
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[transition.child_id for transition, _ in page.items],
        data_class=DataClass.PERSONAL,
        action="read",
        operation="transition.list",
    )
    return page.map(
        lambda item: TransitionCaseOut(
            key_on=item[1], transition=present_transition(item[0], today)
        )
    )


@router.put("/transitions/{child_id}/plan")
async def write_transition_plan(
    child_id: uuid.UUID,
    body: PlanIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    """Replaces the plan's goals (housing, education, work, finances, health) and own words."""
    transition = await load_for_change(session, principal, child_id)
    domain.write_plan(
        transition,
        goals=[
            domain.NewGoal(domain=g.domain, description=g.description, status=g.status)
            for g in body.goals
        ],
        # Left out, the youth's words stay as they are; null or blank empties them.
        youths_own_words=(
            body.youths_own_words
            if "youths_own_words" in body.model_fields_set
            else transition.youths_own_words
        ),
        today=clock.today(),
    )
    await record_transition_change(session, principal, transition, operation="transition.plan")
    return present_transition(transition, clock.today())


@router.post("/transitions/{child_id}/aftercare-decisions", status_code=201)
async def decide_aftercare(
    child_id: uuid.UUID,
    body: AftercareDecisionIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    """Records an aftercare offer, acceptance or decline (from the 18th birthday)."""
    transition = await load_for_change(session, principal, child_id)
    today = clock.today()
    decision = domain.decide_aftercare(
        transition,
        status=body.status,
        decided_on=body.decided_on,
        next_offer_on=body.next_offer_on,
        recorded_by=principal.username,
        now=clock.now(),
        today=today,
    )
    await record_transition_change(
        session,
        principal,
        transition,
        operation="transition.aftercare",
        event=AftercareDecidedV1(
            child_id=transition.child_id,
            status=decision.status,
            decided_on=decision.decided_on,
            next_offer_on=decision.next_offer_on,
            aftercare_ends_on=domain.aftercare_ends_on(
                date_of_birth=transition.child.date_of_birth
            ),
            phase=domain.phase_of_transition(transition, transition.child, today=today).value,
        ),
    )
    return present_transition(transition, today)


@router.put("/transitions/{child_id}/housing")
async def record_housing(
    child_id: uuid.UUID,
    body: HousingIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    transition = await load_for_change(session, principal, child_id)
    domain.record_housing(
        transition,
        housing_type=body.type,
        start_loan=body.start_loan,
        housing_allowance=body.housing_allowance,
        today=clock.today(),
    )
    await record_transition_change(session, principal, transition, operation="transition.housing")
    return present_transition(transition, clock.today())


@router.post("/transitions/{child_id}/outcomes", status_code=201)
async def record_outcome(
    child_id: uuid.UUID,
    body: OutcomeIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> OutcomeOut:
    """Records where the child stands 1, 2, 4 or 5 years after settlement (or corrects it)."""
    transition = await load_for_change(session, principal, child_id)
    outcome = domain.record_outcome(
        transition,
        milestone_years=body.milestone_years,
        status=body.status,
        today=clock.today(),
    )
    await record_transition_change(
        session,
        principal,
        transition,
        operation="transition.outcome",
        event=OutcomeRecordedV1(
            child_id=transition.child_id,
            milestone_years=outcome.milestone_years,
            status=outcome.status,
            recorded_on=outcome.recorded_on,
            settled_on=transition.child.settled_on,
        ),
    )
    return OutcomeOut.model_validate(outcome)
