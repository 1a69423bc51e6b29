"""Every query of the care service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Date, and_, delete, func, literal, select, true, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased, selectinload

from havn.pagination import Page, decode_cursor, page_of
from havn.projection import add_if_new
from havn.reach import Reach
from havn.vocabulary import CarePlanStatus, CaseloadFilter
from services.care.domain.assessments import DEFAULT_ASSESSMENT_INTERVAL_MONTHS
from services.care.models import (
    Assessment,
    AssessmentSchedule,
    CareGoal,
    CarePlan,
    CarePlanVersion,
    Child,
    Education,
    FollowUpNote,
    HealthProfile,
    HealthScreening,
    Meeting,
    MentalHealthReferral,
)

Listed = TypeVar("Listed", FollowUpNote, Meeting, CarePlanVersion)


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def add_care_plan(session: AsyncSession, plan: CarePlan) -> None:
    session.add(plan)
    await session.flush()


async def add_all(session: AsyncSession, rows: Sequence[object]) -> None:
    session.add_all(rows)
    await session.flush()


def parse_moment(value: str) -> datetime:
    """A cursor's time: only one a list gave out, which always carries its UTC offset."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a cursor's time has an offset")
    return moment


# --- children -----------------------------------------------------------------------------


async def get_child(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Child | None:
    query = select(Child).where(Child.id == child_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


def _reached(reach: Reach) -> ColumnElement[bool]:
    return reach.where(Child.id, lambda username: Child.contact_person == username)


async def children_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[Child]:
    query = select(Child).where(Child.id.in_(ids), _reached(reach))
    return (await session.scalars(query)).all()


def normalised(column: InstrumentedAttribute[str | None]) -> ColumnElement[str]:
    return func.lower(func.regexp_replace(func.btrim(column), r"\s+", " ", "g"))


async def is_a_childs_name(session: AsyncSession, name: str) -> bool:
    """Whether a child of the tenant has this full name (case and spacing aside)."""
    wanted = " ".join(name.split()).lower()
    query = select(Child.id).where(normalised(Child.full_name) == wanted).limit(1)
    return (await session.scalar(query)) is not None


# --- care plans ---------------------------------------------------------------------------


async def get_care_plan(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> CarePlan | None:
    """A child's plan with its goals; `for_update` holds it against a concurrent change."""
    query = (
        select(CarePlan).options(selectinload(CarePlan.goals)).where(CarePlan.child_id == child_id)
    )
    if for_update:
        query = query.with_for_update(of=CarePlan)
    return (await session.scalars(query)).one_or_none()


async def care_plan_for_update(session: AsyncSession, child_id: uuid.UUID) -> CarePlan | None:
    """A child's plan without its goals, held against a concurrent change."""
    query = select(CarePlan).where(CarePlan.child_id == child_id).with_for_update()
    return (await session.scalars(query)).one_or_none()


async def replace_goals(session: AsyncSession, plan: CarePlan, goals: list[CareGoal]) -> None:
    await session.execute(delete(CareGoal).where(CareGoal.child_id == plan.child_id))
    session.add_all(goals)
    await session.flush()
    plan.goals = goals


async def latest_version(session: AsyncSession, child_id: uuid.UUID) -> CarePlanVersion | None:
    query = (
        select(CarePlanVersion)
        .where(CarePlanVersion.child_id == child_id)
        .order_by(CarePlanVersion.version.desc())
        .limit(1)
    )
    return (await session.scalars(query)).one_or_none()


async def care_plans_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, with_goals: bool
) -> Sequence[CarePlan]:
    """The children's plans; goals are loaded only for a caller who may see them."""
    query = select(CarePlan).where(CarePlan.child_id.in_(child_ids)).order_by(CarePlan.child_id)
    if with_goals:
        query = query.options(selectinload(CarePlan.goals))
    return (await session.scalars(query)).all()


# --- assessments --------------------------------------------------------------------------


async def assessments_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Assessment]]:
    """Each child's assessments, newest first, in one statement."""
    rows = await session.scalars(
        select(Assessment)
        .where(Assessment.child_id.in_(child_ids))
        .order_by(Assessment.child_id, Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    by_child: dict[uuid.UUID, list[Assessment]] = defaultdict(list)
    for assessment in rows:
        by_child[assessment.child_id].append(assessment)
    return by_child


async def assessment_interval(session: AsyncSession) -> int:
    """The tenant's months between assessments; the default until it sets its own."""
    months = await session.scalar(select(AssessmentSchedule.interval_months))
    return months or DEFAULT_ASSESSMENT_INTERVAL_MONTHS


async def set_assessment_interval(session: AsyncSession, *, tenant: str, months: int) -> None:
    await session.execute(
        insert(AssessmentSchedule)
        .values(tenant_id=tenant, interval_months=months)
        .on_conflict_do_update(index_elements=["tenant_id"], set_={"interval_months": months})
    )


# --- lists paged per child ----------------------------------------------------------------


async def counts_by_child(
    session: AsyncSession, entity: type[Listed], child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many rows each child has, in one grouped count; children unknown here are left out
    (the join on the tenant's children is what tells them apart)."""
    counted = await session.execute(
        select(Child.id, func.count(entity.id))
        .outerjoin(entity, entity.child_id == Child.id)
        .where(Child.id.in_(child_ids))
        .group_by(Child.id)
    )
    return {child_id: total for child_id, total in counted}


async def child_pages(
    session: AsyncSession,
    entity: type[Listed],
    child_ids: Sequence[uuid.UUID],
    *,
    newest: InstrumentedAttribute[Any],
    parse: Callable[[str], Any],
    first: int,
    after: str | None,
) -> dict[uuid.UUID, Page[Listed]]:
    """A page of each child's rows, newest first, in two statements whatever the number of ids,
    in the order of the ids.

    A grouped count over the tenant's children gives each total and, through the join, which
    ids are children here at all; a window numbers each child's rows newest first, so one
    query takes the first `first + 1` of every child. Children unknown here are left out.
    """
    totals = await counts_by_child(session, entity, child_ids)
    position = (
        func.row_number()
        .over(partition_by=entity.child_id, order_by=(newest.desc(), entity.id.desc()))
        .label("position")
    )
    numbered = select(entity, position).where(entity.child_id.in_(list(totals)))
    key = decode_cursor(after, parse, uuid.UUID)
    if key is not None:
        numbered = numbered.where(tuple_(newest, entity.id) < tuple_(*key))
    numbered_rows = numbered.subquery()
    row = aliased(entity, numbered_rows)
    rows = await session.scalars(
        select(row)
        .where(numbered_rows.c.position <= first + 1)
        .order_by(row.child_id, numbered_rows.c.position)
    )
    by_child: dict[uuid.UUID, list[Listed]] = defaultdict(list)
    for found in rows:
        by_child[found.child_id].append(found)
    return {
        child_id: page_of(
            by_child[child_id],
            first,
            totals[child_id],
            key=lambda r: (getattr(r, newest.key).isoformat(), str(r.id)),
        )
        for child_id in child_ids
        if child_id in totals
    }


async def follow_up_note_pages(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, first: int, after: str | None
) -> dict[uuid.UUID, Page[FollowUpNote]]:
    return await child_pages(
        session,
        FollowUpNote,
        child_ids,
        newest=FollowUpNote.written_at,
        parse=parse_moment,
        first=first,
        after=after,
    )


async def follow_up_note_counts(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    return await counts_by_child(session, FollowUpNote, child_ids)


async def care_plan_version_pages(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, first: int, after: str | None
) -> dict[uuid.UUID, Page[CarePlanVersion]]:
    return await child_pages(
        session,
        CarePlanVersion,
        child_ids,
        newest=CarePlanVersion.approved_at,
        parse=parse_moment,
        first=first,
        after=after,
    )


async def meeting_pages(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, first: int, after: str | None
) -> dict[uuid.UUID, Page[Meeting]]:
    return await child_pages(
        session,
        Meeting,
        child_ids,
        newest=Meeting.held_on,
        parse=date.fromisoformat,
        first=first,
        after=after,
    )


async def get_follow_up_note(
    session: AsyncSession, note_id: uuid.UUID, *, for_update: bool = False
) -> FollowUpNote | None:
    query = select(FollowUpNote).where(FollowUpNote.id == note_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


# --- health and education -----------------------------------------------------------------


@dataclass(frozen=True)
class HealthRecords:
    child_ids: list[uuid.UUID]
    profiles: dict[uuid.UUID, HealthProfile]
    screenings: dict[uuid.UUID, list[HealthScreening]]
    referrals: dict[uuid.UUID, list[MentalHealthReferral]]


async def health_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> HealthRecords:
    """GP, screenings and referrals of many children, newest first, in three statements."""
    profiles = await session.scalars(
        select(HealthProfile).where(HealthProfile.child_id.in_(child_ids))
    )
    screenings = await session.scalars(
        select(HealthScreening)
        .where(HealthScreening.child_id.in_(child_ids))
        .order_by(HealthScreening.screened_on.desc(), HealthScreening.id)
    )
    referrals = await session.scalars(
        select(MentalHealthReferral)
        .where(MentalHealthReferral.child_id.in_(child_ids))
        .order_by(MentalHealthReferral.referred_on.desc(), MentalHealthReferral.id)
    )
    records = HealthRecords(
        child_ids=list(child_ids),
        profiles={p.child_id: p for p in profiles},
        screenings={},
        referrals={},
    )
    for screening in screenings:
        records.screenings.setdefault(screening.child_id, []).append(screening)
    for referral in referrals:
        records.referrals.setdefault(referral.child_id, []).append(referral)
    return records


async def get_health_profile(session: AsyncSession, child_id: uuid.UUID) -> HealthProfile | None:
    return await session.get(HealthProfile, child_id)


async def education_by_child_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Education]:
    rows = await session.scalars(select(Education).where(Education.child_id.in_(child_ids)))
    return {row.child_id: row for row in rows}


async def get_education(session: AsyncSession, child_id: uuid.UUID) -> Education | None:
    return await session.get(Education, child_id)


# --- caseload -----------------------------------------------------------------------------

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class CaseloadCounts:
    all: int
    mine: int
    overdue_assessment: int
    care_plan_not_approved: int
    no_contact_person: int


async def caseload(
    session: AsyncSession,
    *,
    filter: CaseloadFilter,
    username: str,
    reach: Reach,
    today: date,
    first: int,
    after: str | None,
) -> tuple[Page[tuple[Child, CarePlan]], CaseloadCounts]:
    """The caller's children with their plans, the most urgent assessment first, and the
    backlog counted per filter: two statements whatever the page size."""
    due = func.coalesce(CarePlan.next_assessment_due, literal(FAR_FUTURE, Date))
    conditions: dict[CaseloadFilter, ColumnElement[bool]] = {
        CaseloadFilter.ALL: true(),
        CaseloadFilter.MINE: Child.contact_person == username,
        # A closed plan is no backlog: it is neither assessed nor approved any more.
        CaseloadFilter.OVERDUE_ASSESSMENT: and_(
            CarePlan.next_assessment_due < today, CarePlan.status != CarePlanStatus.CLOSED.value
        ),
        CaseloadFilter.CARE_PLAN_NOT_APPROVED: CarePlan.status.not_in(
            [CarePlanStatus.APPROVED.value, CarePlanStatus.CLOSED.value]
        ),
        CaseloadFilter.NO_CONTACT_PERSON: Child.contact_person.is_(None),
    }
    scope = _reached(reach)
    counted = (
        await session.execute(
            select(
                *(
                    func.count().filter(condition).label(kind.value)
                    for kind, condition in conditions.items()
                )
            )
            .select_from(Child)
            .join(CarePlan, CarePlan.child_id == Child.id)
            .where(scope)
        )
    ).one()
    counts = CaseloadCounts(*(int(value) for value in counted))
    query = (
        select(Child, CarePlan)
        .join(CarePlan, CarePlan.child_id == Child.id)
        .where(scope, conditions[filter])
    )
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(due, Child.id) > tuple_(*key))
    rows = [
        (child, plan)
        for child, plan in await session.execute(query.order_by(due, Child.id).limit(first + 1))
    ]
    total = getattr(counts, filter.value.lower())
    page = page_of(
        rows,
        first,
        total,
        key=lambda row: ((row[1].next_assessment_due or FAR_FUTURE).isoformat(), str(row[0].id)),
    )
    return page, counts
