"""Every query of the intake service. Tenant isolation comes from the transaction (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Text,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from havn.audit import access_log
from havn.pagination import Page, decode_cursor, page_of
from havn.reach import Reach, assigned_children, follow_assignment, forget_assignment
from havn.statistics.dimensions import AGE_BAND_BOUNDS, Dimension, Measure, nationality_groups
from havn.statistics.tables import Group
from havn.vocabulary import ReferralStatus
from services.intake.models import (
    BreakGlassAccess,
    CarePlaces,
    Child,
    ContactAssignment,
    Municipality,
    PreparationTask,
    Referral,
    ReferralCount,
    Relocation,
    SettlementDecision,
    StaffMember,
)


async def get_municipality(session: AsyncSession, number: str) -> Municipality | None:
    return await session.get(Municipality, number)


async def list_municipalities(session: AsyncSession) -> Sequence[Municipality]:
    return (await session.scalars(select(Municipality).order_by(Municipality.number))).all()


async def get_referral(
    session: AsyncSession, referral_id: uuid.UUID, *, for_update: bool = False
) -> Referral | None:
    """A referral with its checklist; `for_update` locks it against a concurrent decision."""
    query = select(Referral).options(selectinload(Referral.tasks)).where(Referral.id == referral_id)
    if for_update:
        query = query.with_for_update(of=Referral)
    return (await session.scalars(query)).one_or_none()


async def referrals_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Referral]:
    query = select(Referral).options(selectinload(Referral.tasks)).where(Referral.id.in_(ids))
    return (await session.scalars(query)).all()


@dataclass(frozen=True, kw_only=True)
class ReferralFilter:
    """Which referrals a list shows; every field narrows it, None leaves it open."""

    statuses: Sequence[str] | None = None
    overdue: bool | None = None
    arrival_from: date | None = None
    arrival_to: date | None = None
    municipality: str | None = None

    def conditions(self, today: date) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.statuses:
            found.append(Referral.status.in_(self.statuses))
        overdue = and_(Referral.status == "PENDING", Referral.respond_by < today)
        if self.overdue is True:
            found.append(overdue)
        elif self.overdue is False:
            found.append(~overdue)
        if self.arrival_from is not None:
            found.append(Referral.planned_arrival >= self.arrival_from)
        if self.arrival_to is not None:
            found.append(Referral.planned_arrival <= self.arrival_to)
        if self.municipality is not None:
            found.append(Referral.tenant_id == self.municipality)
        return found


async def list_referrals(
    session: AsyncSession,
    *,
    where: ReferralFilter,
    today: date,
    descending: bool = False,
    first: int,
    after: str | None,
) -> Page[Referral]:
    """Referrals by respond-by date (then id), earliest first unless `descending`, keyset paged."""
    conditions = where.conditions(today)
    total_query = select(func.count()).select_from(Referral).where(true(), *conditions)
    query = select(Referral).options(selectinload(Referral.tasks)).where(true(), *conditions)
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    position = tuple_(Referral.respond_by, Referral.id)
    if key is not None:
        query = query.where(position < tuple_(*key) if descending else position > tuple_(*key))
    order = (
        (Referral.respond_by.desc(), Referral.id.desc())
        if descending
        else (Referral.respond_by, Referral.id)
    )
    rows = (await session.scalars(query.order_by(*order).limit(first + 1))).all()
    total = await session.scalar(total_query) or 0
    return page_of(rows, first, total, key=lambda r: (r.respond_by.isoformat(), str(r.id)))


async def open_tasks_of_referrals(
    session: AsyncSession, referral_ids: Sequence[uuid.UUID]
) -> Sequence[PreparationTask]:
    """The tasks still open on many referrals' checklists, in one statement."""
    query = (
        select(PreparationTask)
        .where(PreparationTask.referral_id.in_(referral_ids), PreparationTask.done.is_(False))
        .order_by(PreparationTask.due_on, PreparationTask.kind)
    )
    return (await session.scalars(query)).all()


def _reached(reach: Reach) -> ColumnElement[bool]:
    return reach.where(Child.id, assigned_children(ContactAssignment, Child.id))


async def children_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[Child]:
    query = select(Child).where(Child.id.in_(ids), _reached(reach))
    return (await session.scalars(query)).all()


async def get_child(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Child | None:
    """One child of the tenant, read afresh (a relocation may have moved it in this session)."""
    query = select(Child).where(Child.id == child_id).execution_options(populate_existing=True)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def list_children(
    session: AsyncSession,
    *,
    first: int,
    after: str | None,
    reach: Reach,
    name: str | None = None,
) -> Page[Child]:
    """The children the caller reaches, most recently settled first; `name` (already
    search-folded) narrows them, never widens them."""
    condition = _reached(reach)
    if name:
        condition = and_(
            condition,
            Child.name_search.like(literal("%") + _escape_like(name) + literal("%"), escape="\\"),
        )
    query = select(Child).where(condition)
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.settled_on, Child.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(Child.settled_on.desc(), Child.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(select(func.count()).select_from(Child).where(condition)) or 0
    return page_of(rows, first, total, key=lambda c: (c.settled_on.isoformat(), str(c.id)))


async def child_subject_exists(session: AsyncSession, child_id: uuid.UUID) -> bool:
    """Whether the tenant holds or held this child: referred to it, settled in it, moved to it."""
    referred = select(Referral.id).where(Referral.child_id == child_id)
    living = select(Child.id).where(Child.id == child_id)
    return bool(await session.scalar(select(referred.exists() | living.exists())))


# --- capacity -------------------------------------------------------------------------------


async def get_care_places(
    session: AsyncSession, tenant: str, arrangement: str, *, for_update: bool = False
) -> CarePlaces | None:
    """One arrangement's places; `for_update` holds them while a place is reserved."""
    query = select(CarePlaces).where(
        CarePlaces.tenant_id == tenant, CarePlaces.care_arrangement == arrangement
    )
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


@dataclass(frozen=True)
class MunicipalityCapacity:
    """One municipality's capacity in a year: counts only, never a child."""

    municipality: Municipality
    year: int
    settlement_decision: int | None
    care_places: Sequence[CarePlaces]
    pending_referrals: int


async def capacity_of(
    session: AsyncSession,
    *,
    year: int,
    numbers: Sequence[str] | None,
    first: int,
    after: str | None,
) -> Page[MunicipalityCapacity]:
    """Capacity of one page of municipalities (or of `numbers`), in four statements.

    Row-level security decides whose figures come back: the tenant's own, or for the
    directorate's allocator every municipality's.
    """
    query = select(Municipality)
    total_query = select(func.count()).select_from(Municipality)
    if numbers is not None:
        query = query.where(Municipality.number.in_(numbers))
        total_query = total_query.where(Municipality.number.in_(numbers))
    key = decode_cursor(after, str)
    if key is not None:
        query = query.where(Municipality.number > key[0])
    rows = (await session.scalars(query.order_by(Municipality.number).limit(first + 1))).all()
    page = page_of(rows, first, await session.scalar(total_query) or 0, key=lambda m: (m.number,))
    shown = [m.number for m in page.items]
    decisions = {
        tenant: minors
        for tenant, minors in (
            await session.execute(
                select(SettlementDecision.tenant_id, SettlementDecision.minors).where(
                    SettlementDecision.tenant_id.in_(shown), SettlementDecision.year == year
                )
            )
        ).all()
    }
    places: dict[str, list[CarePlaces]] = {}
    for row in await session.scalars(
        select(CarePlaces)
        .where(CarePlaces.tenant_id.in_(shown))
        .order_by(CarePlaces.tenant_id, CarePlaces.care_arrangement)
    ):
        places.setdefault(row.tenant_id, []).append(row)
    pending = {
        tenant: count
        for tenant, count in (
            await session.execute(
                select(ReferralCount.tenant_id, ReferralCount.pending).where(
                    ReferralCount.tenant_id.in_(shown)
                )
            )
        ).all()
    }
    return page.map(
        lambda m: MunicipalityCapacity(
            municipality=m,
            year=year,
            settlement_decision=decisions.get(m.number),
            care_places=places.get(m.number, []),
            pending_referrals=pending.get(m.number, 0),
        )
    )


async def save_settlement_decision(
    session: AsyncSession, *, tenant: str, year: int, minors: int, by: str, at: datetime
) -> None:
    """Records a year's decision, replacing an earlier one for the same year."""
    values = {"minors": minors, "recorded_by": by, "recorded_at": at}
    await session.execute(
        insert(SettlementDecision)
        .values(tenant_id=tenant, year=year, **values)
        .on_conflict_do_update(
            index_elements=[SettlementDecision.tenant_id, SettlementDecision.year], set_=values
        )
    )


async def count_pending(session: AsyncSession, referral: Referral, *, was: str | None) -> None:
    """Keeps the municipality's count of pending referrals as `referral` moves from status
    `was` (None: it is new) to the one it has now, in the transaction of the move. Every use
    case that changes a referral's status calls this, so the count is kept in this one place."""
    delta = (referral.status == ReferralStatus.PENDING) - (was == ReferralStatus.PENDING)
    if delta == 0:
        return
    await session.execute(
        insert(ReferralCount)
        .values(tenant_id=referral.tenant_id, pending=delta)
        .on_conflict_do_update(
            index_elements=[ReferralCount.tenant_id],
            set_={"pending": ReferralCount.pending + delta},
        )
    )


async def pending_count(session: AsyncSession, tenant: str) -> int:
    query = select(ReferralCount.pending).where(ReferralCount.tenant_id == tenant)
    return await session.scalar(query) or 0


# --- national statistics: grouped in SQL by `intake.national_statistics` (migration
# s001_statistics), which the application role may call but whose rows it cannot read.
NATIONAL_GROUPS = text(
    "select keys, size, own, value from intake.national_statistics("
    ":measure, :dimensions, :own, :age_bounds, :codes, :groups)"
).bindparams(
    bindparam("dimensions", type_=ARRAY(Text)),
    bindparam("age_bounds", type_=ARRAY(Integer)),
    bindparam("codes", type_=ARRAY(Text)),
    bindparam("groups", type_=ARRAY(Text)),
)


async def national_groups(
    session: AsyncSession, measure: Measure, dimensions: Sequence[Dimension], own: str | None
) -> list[Group]:
    """Every municipality's children, grouped; `own` counts the caller's part of each group."""
    codes, groups = nationality_groups()
    rows = await session.execute(
        NATIONAL_GROUPS,
        {
            "measure": measure.value,
            "dimensions": [d.value for d in dimensions],
            "own": own,
            "age_bounds": list(AGE_BAND_BOUNDS),
            "codes": codes,
            "groups": groups,
        },
    )
    return [Group(tuple(r.keys), r.size, r.own, r.value) for r in rows]


# --- staff ------------------------------------------------------------------------------------


async def note_staff_member(
    session: AsyncSession, *, tenant: str, username: str, role: str
) -> None:
    """Remembers a municipal user seen acting in the municipality (one statement, idempotent)."""
    await session.execute(
        insert(StaffMember)
        .values(tenant_id=tenant, username=username, role=role)
        .on_conflict_do_nothing()
    )


async def staff_usernames(session: AsyncSession, tenant: str) -> frozenset[str]:
    query = select(StaffMember.username).where(StaffMember.tenant_id == tenant)
    return frozenset((await session.scalars(query)).all())


async def list_staff(
    session: AsyncSession, tenant: str, *, first: int, after: str | None
) -> Page[StaffMember]:
    """The municipality's known users by username."""
    mine = StaffMember.tenant_id == tenant
    query = select(StaffMember).where(mine)
    key = decode_cursor(after, str)
    if key is not None:
        query = query.where(StaffMember.username > key[0])
    rows = (await session.scalars(query.order_by(StaffMember.username).limit(first + 1))).all()
    total = await session.scalar(select(func.count()).select_from(StaffMember).where(mine))
    return page_of(rows, first, total or 0, key=lambda m: (m.username,))


# --- relocation -------------------------------------------------------------------------------


async def get_relocation(
    session: AsyncSession, relocation_id: uuid.UUID, *, for_update: bool = False
) -> Relocation | None:
    """A relocation the tenant sends or receives."""
    query = select(Relocation).where(Relocation.id == relocation_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def open_relocation_of(session: AsyncSession, child_id: uuid.UUID) -> Relocation | None:
    query = select(Relocation).where(
        Relocation.child_id == child_id, Relocation.status == "PROPOSED"
    )
    return (await session.scalars(query)).one_or_none()


async def list_relocations(
    session: AsyncSession,
    *,
    tenant: str,
    direction: str | None,
    status: str | None,
    first: int,
    after: str | None,
) -> Page[Relocation]:
    """The tenant's relocations, newest first; `direction` is OUTGOING, INCOMING or None."""
    conditions: list[ColumnElement[bool]] = []
    if direction == "OUTGOING":
        conditions.append(Relocation.tenant_id == tenant)
    elif direction == "INCOMING":
        conditions.append(Relocation.to_tenant == tenant)
    else:
        conditions.append(or_(Relocation.tenant_id == tenant, Relocation.to_tenant == tenant))
    if status is not None:
        conditions.append(Relocation.status == status)
    query = select(Relocation).where(*conditions)
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Relocation.proposed_at, Relocation.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(Relocation.proposed_at.desc(), Relocation.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(select(func.count()).select_from(Relocation).where(*conditions))
    return page_of(rows, first, total or 0, key=lambda r: (r.proposed_at.isoformat(), str(r.id)))


async def assign_contact_person(
    session: AsyncSession, *, child_id: uuid.UUID, tenant_id: str, username: str, on: date
) -> None:
    """Records care's assignment; a later one replaces the earlier."""
    await follow_assignment(
        session, ContactAssignment, child_id=child_id, tenant_id=tenant_id, username=username, on=on
    )


async def unassign_contact_person(
    session: AsyncSession, *, child_id: uuid.UUID, username: str | None = None
) -> None:
    """Forgets the child's contact person (only `username`'s assignment, when given)."""
    await forget_assignment(session, ContactAssignment, child_id=child_id, username=username)


# --- break the glass --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewedAccess:
    """A break-glass access as its municipality's admin reviews it: with the reads made."""

    access: BreakGlassAccess
    reads: int


async def list_break_glass_accesses(
    session: AsyncSession, *, lives_in: str, first: int, after: str | None
) -> Page[ReviewedAccess]:
    """The accesses to the children of a municipality, newest first, each with the reads
    logged under it (one statement for the page, whatever its length)."""
    reads = (
        select(func.count())
        .select_from(access_log)
        .where(
            access_log.c.break_glass_access_id == BreakGlassAccess.id,
            access_log.c.action == "read",
        )
        .scalar_subquery()
    )
    condition = BreakGlassAccess.tenant_id == lives_in
    query = select(BreakGlassAccess, reads).where(condition)
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(BreakGlassAccess.opened_at, BreakGlassAccess.id) < tuple_(*key))
    newest_first = (BreakGlassAccess.opened_at.desc(), BreakGlassAccess.id.desc())
    rows = (await session.execute(query.order_by(*newest_first).limit(first + 1))).all()
    total = await session.scalar(
        select(func.count()).select_from(BreakGlassAccess).where(condition)
    )
    page = page_of(
        rows, first, total or 0, key=lambda row: (row[0].opened_at.isoformat(), str(row[0].id))
    )
    return page.map(lambda row: ReviewedAccess(access=row[0], reads=row[1]))
