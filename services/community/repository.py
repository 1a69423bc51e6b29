"""Every query of the community service. Tenant isolation comes from the transaction (RLS).

Partners and the list of municipalities served are shared reference data (no RLS); every
other table is the tenant's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from havn.pagination import Page, decode_cursor, page_of
from havn.projection import add_if_new
from havn.reach import Reach, assigned_children
from services.community.models import (
    AccessGrant,
    Agreement,
    Attendance,
    Child,
    ContactAssignment,
    Enrolment,
    FundingApplication,
    Match,
    Municipality,
    Offer,
    Partner,
    Settings,
    Volunteer,
)

dated = TypeVar("dated", Agreement, Enrolment, Match, FundingApplication)
created = TypeVar("created", Offer, Volunteer)

# --- municipalities and settings ----------------------------------------------------------


async def note_municipality(session: AsyncSession, number: str) -> None:
    """Remembers that community serves this municipality (for the grant sweep)."""
    await session.execute(insert(Municipality).values(number=number).on_conflict_do_nothing())


async def municipality_numbers(session: AsyncSession) -> Sequence[str]:
    return (await session.scalars(select(Municipality.number).order_by(Municipality.number))).all()


async def get_settings(session: AsyncSession) -> Settings | None:
    """The tenant's settings row, if it changed any default."""
    return (await session.scalars(select(Settings))).one_or_none()


async def save_police_certificate_limit(session: AsyncSession, tenant_id: str, months: int) -> None:
    await session.execute(
        insert(Settings)
        .values(tenant_id=tenant_id, police_certificate_months=months)
        .on_conflict_do_update(
            index_elements=[Settings.tenant_id], set_={"police_certificate_months": months}
        )
    )


# --- children -------------------------------------------------------------------------------


async def add_child_if_new(session: AsyncSession, child: Child) -> bool:
    """Keeps the child's projection once; a redelivery or another tenant's id adds nothing."""
    return await add_if_new(session, child)


async def get_child(
    session: AsyncSession, child_id: uuid.UUID, *, for_update: bool = False
) -> Child | None:
    query = select(Child).where(Child.id == child_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


def _reached(reach: Reach, child_id: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[bool]:
    return reach.where(child_id, assigned_children(ContactAssignment, child_id))


async def children_by_ids(
    session: AsyncSession, child_ids: Sequence[uuid.UUID], *, reach: Reach
) -> Sequence[Child]:
    """The children with their enrolments, offers and partners, in two statements.

    Offers and partners are joined into the enrolments' statement, so the count does not
    depend on whether any child on the page is enrolled.
    """
    query = (
        select(Child)
        .options(
            selectinload(Child.enrolments).joinedload(Enrolment.offer).joinedload(Offer.partner)
        )
        .where(Child.id.in_(child_ids), _reached(reach, Child.id))
        .order_by(Child.id)
    )
    return (await session.scalars(query)).all()


# --- partners and agreements -------------------------------------------------------------


async def get_partner_by_slug(session: AsyncSession, slug: str) -> Partner | None:
    return (await session.scalars(select(Partner).where(Partner.slug == slug))).one_or_none()


async def add_partner_if_new(session: AsyncSession, partner: Partner) -> Partner:
    """Registers the partner unless its slug is taken; returns the partner under that slug."""
    await session.execute(
        insert(Partner)
        .values(id=partner.id, slug=partner.slug, name=partner.name, kind=partner.kind)
        .on_conflict_do_nothing(index_elements=[Partner.slug])
    )
    stored = await get_partner_by_slug(session, partner.slug)
    assert stored is not None
    return stored


async def list_partners(session: AsyncSession, *, first: int, after: str | None) -> Page[Partner]:
    """Every partner on the platform, by slug."""
    query = select(Partner)
    key = decode_cursor(after, str)
    if key is not None:
        query = query.where(Partner.slug > key[0])
    rows = (await session.scalars(query.order_by(Partner.slug).limit(first + 1))).all()
    total = await session.scalar(select(func.count()).select_from(Partner)) or 0
    return page_of(rows, first, total, key=lambda p: (p.slug,))


async def agreements_with(session: AsyncSession, partner_id: uuid.UUID) -> Sequence[Agreement]:
    query = select(Agreement).where(Agreement.partner_id == partner_id)
    return (await session.scalars(query)).all()


async def list_agreements(
    session: AsyncSession, *, partner_id: uuid.UUID | None, first: int, after: str | None
) -> Page[Agreement]:
    """The tenant's agreements, newest first."""
    condition = Agreement.partner_id == partner_id if partner_id else None
    query = select(Agreement).options(selectinload(Agreement.partner))
    return await _page_by_date_desc(
        session, query, Agreement, Agreement.valid_from, condition, first=first, after=after
    )


# --- offers ----------------------------------------------------------------------------------


async def get_offer(
    session: AsyncSession, offer_id: uuid.UUID, *, for_update: bool = False
) -> Offer | None:
    """An offer with its partner; `for_update` holds its places while a child is enrolled."""
    query = select(Offer).options(selectinload(Offer.partner)).where(Offer.id == offer_id)
    if for_update:
        query = query.with_for_update(of=Offer)
    return (await session.scalars(query)).one_or_none()


def _active_on(today: date) -> ColumnElement[bool]:
    return and_(
        Enrolment.started_on <= today,
        or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > today),
    )


async def active_enrolment_counts(
    session: AsyncSession, offer_ids: Sequence[uuid.UUID], *, today: date
) -> dict[uuid.UUID, int]:
    """Places taken today, per offer, in one statement.

    Run even for no offers, so that a page costs the same statements whatever it holds.
    """
    rows = await session.execute(
        select(Enrolment.offer_id, func.count())
        .where(Enrolment.offer_id.in_(offer_ids), _active_on(today))
        .group_by(Enrolment.offer_id)
    )
    return {offer_id: count for offer_id, count in rows}


async def list_offers(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID | None,
    kind: str | None,
    first: int,
    after: str | None,
) -> Page[Offer]:
    """The tenant's offers, newest first; a partner's only when `partner_id` is given."""
    conditions = [
        c
        for c in (
            Offer.partner_id == partner_id if partner_id else None,
            Offer.kind == kind if kind else None,
        )
        if c is not None
    ]
    query = select(Offer).options(selectinload(Offer.partner))
    return await _page_by_created_desc(
        session, query, Offer, and_(*conditions) if conditions else None, first=first, after=after
    )


async def all_offers(session: AsyncSession) -> Sequence[Offer]:
    """Every offer of the tenant (for suggestions: a municipality has tens, not thousands)."""
    return (await session.scalars(select(Offer).options(selectinload(Offer.partner)))).all()


async def offers_with_free_places(
    session: AsyncSession, *, today: date, first: int, after: str | None
) -> Page[Offer]:
    taken = (
        select(func.count())
        .where(Enrolment.offer_id == Offer.id, _active_on(today))
        .correlate(Offer)
        .scalar_subquery()
    )
    query = select(Offer).options(selectinload(Offer.partner))
    return await _page_by_created_desc(
        session, query, Offer, Offer.capacity > taken, first=first, after=after
    )


# --- volunteers ------------------------------------------------------------------------------


async def get_volunteer(
    session: AsyncSession, volunteer_id: uuid.UUID, *, for_update: bool = False
) -> Volunteer | None:
    query = (
        select(Volunteer)
        .options(selectinload(Volunteer.partner))
        .where(Volunteer.id == volunteer_id)
    )
    if for_update:
        query = query.with_for_update(of=Volunteer)
    return (await session.scalars(query)).one_or_none()


async def list_volunteers(
    session: AsyncSession, *, partner_id: uuid.UUID | None, first: int, after: str | None
) -> Page[Volunteer]:
    condition = Volunteer.partner_id == partner_id if partner_id else None
    query = select(Volunteer).options(selectinload(Volunteer.partner))
    return await _page_by_created_desc(
        session, query, Volunteer, condition, first=first, after=after
    )


async def all_volunteers(session: AsyncSession) -> Sequence[Volunteer]:
    return (await session.scalars(select(Volunteer).options(selectinload(Volunteer.partner)))).all()


# --- enrolments, matches, attendance ----------------------------------------------------------


async def get_enrolment(
    session: AsyncSession, enrolment_id: uuid.UUID, *, for_update: bool = False
) -> Enrolment | None:
    query = (
        select(Enrolment)
        .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
        .where(Enrolment.id == enrolment_id)
    )
    if for_update:
        query = query.with_for_update(of=Enrolment)
    return (await session.scalars(query)).one_or_none()


async def enrolments_by_ids(
    session: AsyncSession, enrolment_ids: Sequence[uuid.UUID], *, reach: Reach
) -> list[Enrolment]:
    query = (
        select(Enrolment)
        .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
        .where(Enrolment.id.in_(enrolment_ids), _reached(reach, Enrolment.child_id))
        .order_by(Enrolment.id)
    )
    return list((await session.scalars(query)).all())


async def is_enrolled(
    session: AsyncSession, *, child_id: uuid.UUID, offer_id: uuid.UUID, today: date
) -> bool:
    query = select(
        exists().where(
            Enrolment.child_id == child_id, Enrolment.offer_id == offer_id, _active_on(today)
        )
    )
    return bool(await session.scalar(query))


async def offers_taken_by(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> set[uuid.UUID]:
    query = select(Enrolment.offer_id).where(Enrolment.child_id == child_id, _active_on(today))
    return set((await session.scalars(query)).all())


async def list_enrolments(
    session: AsyncSession,
    *,
    reach: Reach,
    partner_id: uuid.UUID | None,
    offer_id: uuid.UUID | None,
    active_on: date | None,
    first: int,
    after: str | None,
) -> Page[Enrolment]:
    """The enrolments of the children the caller reaches, newest first; narrowed to a
    partner, an offer, or active ones."""
    conditions: list[ColumnElement[bool]] = [
        Enrolment.offer_id.in_(select(Offer.id)),
        _reached(reach, Enrolment.child_id),
    ]
    if partner_id:
        conditions.append(
            Enrolment.offer_id.in_(select(Offer.id).where(Offer.partner_id == partner_id))
        )
    if offer_id:
        conditions.append(Enrolment.offer_id == offer_id)
    if active_on:
        conditions.append(_active_on(active_on))
    query = select(Enrolment).options(selectinload(Enrolment.offer).selectinload(Offer.partner))
    return await _page_by_date_desc(
        session, query, Enrolment, Enrolment.started_on, and_(*conditions), first=first, after=after
    )


async def get_match(
    session: AsyncSession, match_id: uuid.UUID, *, for_update: bool = False
) -> Match | None:
    query = (
        select(Match)
        .options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
        .where(Match.id == match_id)
    )
    if for_update:
        query = query.with_for_update(of=Match)
    return (await session.scalars(query)).one_or_none()


def _match_active_on(today: date) -> ColumnElement[bool]:
    return and_(Match.started_on <= today, or_(Match.ended_on.is_(None), Match.ended_on > today))


async def volunteers_matched_with(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> set[uuid.UUID]:
    query = select(Match.volunteer_id).where(Match.child_id == child_id, _match_active_on(today))
    return set((await session.scalars(query)).all())


async def list_matches(
    session: AsyncSession,
    *,
    reach: Reach,
    child_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> Page[Match]:
    conditions = [_reached(reach, Match.child_id)]
    if child_id:
        conditions.append(Match.child_id == child_id)
    if partner_id:
        conditions.append(
            Match.volunteer_id.in_(select(Volunteer.id).where(Volunteer.partner_id == partner_id))
        )
    query = select(Match).options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
    return await _page_by_date_desc(
        session,
        query,
        Match,
        Match.started_on,
        and_(*conditions),
        first=first,
        after=after,
    )


async def active_enrolments_and_matches(
    session: AsyncSession, child_id: uuid.UUID, *, today: date
) -> tuple[Sequence[Enrolment], Sequence[Match]]:
    enrolments = (
        await session.scalars(
            select(Enrolment)
            .options(selectinload(Enrolment.offer).selectinload(Offer.partner))
            .where(Enrolment.child_id == child_id, _active_on(today))
            .with_for_update(of=Enrolment)
        )
    ).all()
    matches = (
        await session.scalars(
            select(Match)
            .options(selectinload(Match.volunteer).selectinload(Volunteer.partner))
            .where(Match.child_id == child_id, _match_active_on(today))
            .with_for_update(of=Match)
        )
    ).all()
    return enrolments, matches


async def attendance_exists(session: AsyncSession, enrolment_id: uuid.UUID, day: date) -> bool:
    query = select(
        exists().where(Attendance.enrolment_id == enrolment_id, Attendance.attended_on == day)
    )
    return bool(await session.scalar(query))


async def attendance_for(
    session: AsyncSession, enrolment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Attendance]]:
    """Attendance of many enrolments, newest day first, in one statement."""
    if not enrolment_ids:
        return {}
    rows = (
        await session.scalars(
            select(Attendance)
            .where(Attendance.enrolment_id.in_(enrolment_ids))
            .order_by(Attendance.attended_on.desc())
        )
    ).all()
    by_enrolment: dict[uuid.UUID, list[Attendance]] = {}
    for row in rows:
        by_enrolment.setdefault(row.enrolment_id, []).append(row)
    return by_enrolment


# --- grants ----------------------------------------------------------------------------------


def _effective(today: date) -> ColumnElement[bool]:
    return and_(
        AccessGrant.closed_at.is_(None),
        or_(AccessGrant.expires_on.is_(None), AccessGrant.expires_on >= today),
    )


async def granted_child_ids(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID,
    child_ids: Sequence[uuid.UUID],
    scope: str,
    today: date,
) -> dict[uuid.UUID, date | None]:
    """The children of these the partner may see today, each with the day its access ends
    (None: no end set), from the partner's grants of the scope in force today."""
    query = select(AccessGrant.child_id, AccessGrant.expires_on).where(
        AccessGrant.partner_id == partner_id,
        AccessGrant.child_id.in_(child_ids),
        AccessGrant.scope == scope,
        _effective(today),
    )
    until: dict[uuid.UUID, date | None] = {}
    for child_id, expires_on in await session.execute(query):
        known = until.get(child_id, expires_on)
        until[child_id] = None if known is None or expires_on is None else max(known, expires_on)
    return until


async def granted_children(
    session: AsyncSession,
    *,
    partner_id: uuid.UUID,
    scope: str,
    today: date,
    first: int,
    after: str | None,
) -> Page[Child]:
    """The children the partner may see today, by first name then id."""
    granted = select(AccessGrant.child_id).where(
        AccessGrant.partner_id == partner_id, AccessGrant.scope == scope, _effective(today)
    )
    query = select(Child).where(Child.id.in_(granted))
    key = decode_cursor(after, str, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.first_name, Child.id) > tuple_(*key))
    rows = (
        await session.scalars(query.order_by(Child.first_name, Child.id).limit(first + 1))
    ).all()
    total = (
        await session.scalar(select(func.count()).select_from(Child).where(Child.id.in_(granted)))
        or 0
    )
    return page_of(rows, first, total, key=lambda c: (c.first_name, str(c.id)))


async def open_grants_for_source(
    session: AsyncSession, source_id: uuid.UUID
) -> Sequence[AccessGrant]:
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.source_id == source_id, AccessGrant.closed_at.is_(None))
        .with_for_update(of=AccessGrant)
    )
    return (await session.scalars(query)).all()


async def open_grants_of_child(session: AsyncSession, child_id: uuid.UUID) -> Sequence[AccessGrant]:
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.child_id == child_id, AccessGrant.closed_at.is_(None))
        .with_for_update(of=AccessGrant)
    )
    return (await session.scalars(query)).all()


async def expired_open_grants(session: AsyncSession, *, today: date) -> Sequence[AccessGrant]:
    """Grants still open although the agreement behind them ended before today."""
    query = (
        select(AccessGrant)
        .options(selectinload(AccessGrant.partner))
        .where(AccessGrant.closed_at.is_(None), AccessGrant.expires_on < today)
        .with_for_update(of=AccessGrant, skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def list_grants(
    session: AsyncSession,
    *,
    reach: Reach,
    child_id: uuid.UUID | None,
    first: int,
    after: str | None,
) -> Page[AccessGrant]:
    """The grants of the children the caller reaches, newest first."""
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    condition = _reached(reach, AccessGrant.child_id)
    if child_id:
        condition = and_(condition, AccessGrant.child_id == child_id)
    query = select(AccessGrant).options(selectinload(AccessGrant.partner)).where(condition)
    total_query = select(func.count()).select_from(AccessGrant).where(condition)
    if key is not None:
        query = query.where(tuple_(AccessGrant.opened_at, AccessGrant.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(AccessGrant.opened_at.desc(), AccessGrant.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(total_query) or 0
    return page_of(rows, first, total, key=lambda g: (g.opened_at.isoformat(), str(g.id)))


# --- the belonging overview ----------------------------------------------------------------


async def children_without_belonging(
    session: AsyncSession, *, reach: Reach, today: date, first: int, after: str | None
) -> Page[Child]:
    """Children with neither an active leisure offer nor an active mentor."""
    leisure = (
        select(Enrolment.id)
        .join(Offer, Offer.id == Enrolment.offer_id)
        .where(Enrolment.child_id == Child.id, Offer.kind == "LEISURE", _active_on(today))
    )
    mentor = (
        select(Match.id)
        .join(Volunteer, Volunteer.id == Match.volunteer_id)
        .where(Match.child_id == Child.id, Volunteer.kind == "MENTOR", _match_active_on(today))
    )
    condition = and_(~leisure.exists(), ~mentor.exists(), _reached(reach, Child.id))
    query = select(Child).where(condition)
    key = decode_cursor(after, str, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(Child.first_name, Child.id) > tuple_(*key))
    rows = (
        await session.scalars(query.order_by(Child.first_name, Child.id).limit(first + 1))
    ).all()
    total = await session.scalar(select(func.count()).select_from(Child).where(condition)) or 0
    return page_of(rows, first, total, key=lambda c: (c.first_name, str(c.id)))


async def active_enrolments_per_partner(
    session: AsyncSession, *, today: date
) -> Sequence[tuple[Partner, int]]:
    """Every partner with offers in the tenant and its active enrolments, most first."""
    count = func.count(Enrolment.id).filter(_active_on(today))
    rows = await session.execute(
        select(Partner, count)
        .join(Offer, Offer.partner_id == Partner.id)
        .outerjoin(Enrolment, Enrolment.offer_id == Offer.id)
        .group_by(Partner.id)
        .order_by(count.desc(), Partner.slug)
    )
    return [(partner, total) for partner, total in rows]


# --- funding ---------------------------------------------------------------------------------


async def get_funding_application(
    session: AsyncSession, application_id: uuid.UUID
) -> FundingApplication | None:
    query = (
        select(FundingApplication).where(FundingApplication.id == application_id).with_for_update()
    )
    return (await session.scalars(query)).one_or_none()


async def list_funding_applications(
    session: AsyncSession, *, status: str | None, first: int, after: str | None
) -> Page[FundingApplication]:
    condition = FundingApplication.status == status if status else None
    return await _page_by_date_desc(
        session,
        select(FundingApplication),
        FundingApplication,
        FundingApplication.applied_on,
        condition,
        first=first,
        after=after,
    )


async def funding_totals(session: AsyncSession) -> dict[str, tuple[int, int, int]]:
    """Per status: applications, kroner applied for, kroner granted (the tenant's)."""
    rows = await session.execute(
        select(
            FundingApplication.status,
            func.count(),
            func.coalesce(func.sum(FundingApplication.amount_nok), 0),
            func.coalesce(func.sum(FundingApplication.granted_nok), 0),
        ).group_by(FundingApplication.status)
    )
    return {status: (count, applied, granted or 0) for status, count, applied, granted in rows}


# --- keyset pages ----------------------------------------------------------------------------


async def _page_by_date_desc(
    session: AsyncSession,
    query: Select[dated],
    model: type[dated],
    column: InstrumentedAttribute[date],
    condition: ColumnElement[bool] | None,
    *,
    first: int,
    after: str | None,
) -> Page[dated]:
    """Newest first by a date column, then id."""
    total_query = select(func.count()).select_from(model)
    if condition is not None:
        query, total_query = query.where(condition), total_query.where(condition)
    key = decode_cursor(after, date.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(column, model.id) < tuple_(*key))
    rows = (
        await session.scalars(query.order_by(column.desc(), model.id.desc()).limit(first + 1))
    ).all()
    total = await session.scalar(total_query) or 0
    name = column.key
    return page_of(rows, first, total, key=lambda r: (getattr(r, name).isoformat(), str(r.id)))


async def _page_by_created_desc(
    session: AsyncSession,
    query: Select[created],
    model: type[created],
    condition: ColumnElement[bool] | None,
    *,
    first: int,
    after: str | None,
) -> Page[created]:
    """Newest first by creation time, then id."""
    total_query = select(func.count()).select_from(model)
    if condition is not None:
        query, total_query = query.where(condition), total_query.where(condition)
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(model.created_at, model.id) < tuple_(*key))
    rows = (
        await session.scalars(
            query.order_by(model.created_at.desc(), model.id.desc()).limit(first + 1)
        )
    ).all()
    total = await session.scalar(total_query) or 0
    return page_of(rows, first, total, key=lambda r: (r.created_at.isoformat(), str(r.id)))
