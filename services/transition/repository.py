"""Every query of the transition service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Text,
    and_,
    bindparam,
    exists,
    func,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from havn.pagination import Page, decode_cursor, page_of
from havn.projection import add_if_new
from havn.reach import Reach, assigned_children
from havn.statistics.dimensions import AGE_BAND_BOUNDS, Dimension, Measure
from havn.statistics.tables import Group
from havn.vocabulary import TransitionCaseloadFilter, TransitionMilestone
from services.transition.models import Child, ContactAssignment, Milestone, Outcome, Transition

# Everything a transition is shown with, loaded in one statement per relation.
_WHOLE = (
    selectinload(Transition.child),
    selectinload(Transition.outcomes),
    selectinload(Transition.goals),
    selectinload(Transition.decisions),
    selectinload(Transition.milestones),
)


TURNING_18_WINDOW = timedelta(days=90)


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def add_transition(
    session: AsyncSession, transition: Transition, milestones: Sequence[Milestone]
) -> None:
    session.add(transition)
    await session.flush()
    session.add_all(milestones)
    await session.flush()


async def save(session: AsyncSession) -> None:
    """Writes a changed transition (and the goals, decisions, outcomes and milestones it
    gained) now, so that a broken constraint fails the change before it is announced."""
    await session.flush()


async def get_child(session: AsyncSession, child_id: uuid.UUID) -> Child | None:
    return await session.get(Child, child_id)


async def get_transition(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Transition | None:
    """One child's whole transition; locked for a write so two writers take turns."""
    query = select(Transition).options(*_WHOLE).where(Transition.child_id == child_id)
    if for_update:
        query = query.with_for_update(of=Transition)
    return (await session.scalars(query)).one_or_none()


def _reached(reach: Reach, child_id: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    return reach.where(child_id, assigned_children(ContactAssignment, child_id))


async def transitions_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[Transition]:
    query = (
        select(Transition)
        .options(*_WHOLE)
        .where(Transition.child_id.in_(child_ids), _reached(reach, Transition.child_id))
        .order_by(Transition.child_id)
    )
    return (await session.scalars(query)).all()


async def children_by_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[tuple[Child, Transition]]:
    """Children with their transition row only (no relations): enough for their phase."""
    query = (
        select(Child, Transition)
        .join(Transition, Transition.child_id == Child.id)
        .where(Child.id.in_(child_ids), _reached(reach, Child.id))
        .order_by(Child.id)
    )
    return [(child, transition) for child, transition in (await session.execute(query)).all()]


# --- the scheduler ------------------------------------------------------------------------


async def tenants_with_due_milestones(
    session: AsyncSession, *, today: date, among: Collection[str] | None = None
) -> list[str]:
    """Tenants with a pending milestone due by `today` (read in a system transaction)."""
    query = (
        select(Milestone.tenant_id)
        .where(Milestone.reached_on.is_(None), Milestone.due_on <= today)
        .distinct()
        .order_by(Milestone.tenant_id)
    )
    if among is not None:
        query = query.where(Milestone.tenant_id.in_(list(among)))
    return list((await session.scalars(query)).all())


async def claim_due_milestones(
    session: AsyncSession, *, today: date, limit: int
) -> Sequence[Milestone]:
    """Locks pending milestones due by `today` in the transaction's tenant, oldest first.

    `SKIP LOCKED`: a second scheduler running at the same time takes other rows, and a row
    it would have taken is reached (not pending) once the first commits.
    """
    query = (
        select(Milestone)
        .where(Milestone.reached_on.is_(None), Milestone.due_on <= today)
        .order_by(Milestone.due_on, Milestone.child_id, Milestone.milestone, Milestone.occurrence)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()


# --- the caseload -------------------------------------------------------------------------


def _age_18_on() -> ColumnElement[date]:
    return (
        select(Milestone.due_on)
        .where(
            Milestone.child_id == Transition.child_id,
            Milestone.milestone == TransitionMilestone.AGE_18.value,
        )
        .scalar_subquery()
    )


def _case_closed_by(today: date) -> ColumnElement[bool]:
    return exists().where(
        Milestone.child_id == Transition.child_id,
        Milestone.milestone == TransitionMilestone.AGE_25.value,
        Milestone.due_on <= today,
    )


def _first_missing_outcome_on(today: date) -> ColumnElement[date]:
    return (
        select(func.min(Milestone.due_on))
        .where(
            Milestone.child_id == Transition.child_id,
            Milestone.outcome_years.is_not(None),
            Milestone.due_on <= today,
            ~exists().where(
                Outcome.child_id == Milestone.child_id,
                Outcome.milestone_years == Milestone.outcome_years,
            ),
        )
        .scalar_subquery()
    )


async def list_caseload(
    session: AsyncSession,
    *,
    case_filter: TransitionCaseloadFilter | None,
    reach: Reach,
    today: date,
    first: int,
    after: str | None,
) -> Page[tuple[Transition, date]]:
    """The transitions the caller reaches, each with the date the filter is about, soonest first.

    Without a filter: every open transition by the day its plan opens.
    """
    key_on: ColumnElement[date] | ColumnElement[date | None]
    if case_filter == TransitionCaseloadFilter.TURNING_18_WITHIN_90_DAYS:
        key_on = _age_18_on()
        condition = and_(key_on >= today, key_on <= today + TURNING_18_WINDOW)
    elif case_filter == TransitionCaseloadFilter.AFTERCARE_DECISION_OVERDUE:
        key_on = Transition.aftercare_due_on.expression
        condition = and_(key_on < today, ~_case_closed_by(today))
    elif case_filter == TransitionCaseloadFilter.OUTCOME_DUE:
        key_on = _first_missing_outcome_on(today)
        condition = key_on.is_not(None)
    else:
        key_on = Transition.plan_opens_on.expression
        condition = ~_case_closed_by(today)
    cases = select(Transition.child_id.label("child_id"), key_on.label("key_on")).where(
        condition, _reached(reach, Transition.child_id)
    )
    cases_subquery = cases.subquery()
    total = await session.scalar(select(func.count()).select_from(cases_subquery)) or 0
    query = (
        select(Transition, cases_subquery.c.key_on)
        .join(cases_subquery, cases_subquery.c.child_id == Transition.child_id)
        .options(*_WHOLE)
    )
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(
            tuple_(cases_subquery.c.key_on, cases_subquery.c.child_id) > tuple_(*key)
        )
    rows = (
        await session.execute(
            query.order_by(cases_subquery.c.key_on, cases_subquery.c.child_id).limit(first + 1)
        )
    ).all()
    items = [(transition, key_day) for transition, key_day in rows]
    return page_of(
        items, first, total, key=lambda item: (item[1].isoformat(), str(item[0].child_id))
    )


# --- national statistics ------------------------------------------------------------------

# Grouped in SQL by `transition.national_statistics` (migrations s001_statistics and
# s002_outcomes_by_person), which the application role may call but whose rows it cannot read.
NATIONAL_GROUPS = text(
    "select keys, size, own, value from transition.national_statistics("
    ":measure, :dimensions, :own, :age_bounds)"
).bindparams(
    bindparam("dimensions", type_=ARRAY(Text)),
    bindparam("age_bounds", type_=ARRAY(Integer)),
)


async def national_groups(
    session: AsyncSession, measure: Measure, dimensions: Sequence[Dimension], own: str | None
) -> list[Group]:
    """Every municipality's outcomes, grouped; `own` counts the caller's part of each group."""
    rows = await session.execute(
        NATIONAL_GROUPS,
        {
            "measure": measure.value,
            "dimensions": [d.value for d in dimensions],
            "own": own,
            "age_bounds": list(AGE_BAND_BOUNDS),
        },
    )
    return [Group(tuple(r.keys), r.size, r.own, r.value) for r in rows]
