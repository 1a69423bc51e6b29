"""Keyset pages of the tenant's records, newest first (by a date, or by creation time)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from havn.pagination import Page, decode_cursor, page_of
from services.community.models import (
    Agreement,
    Enrolment,
    FundingApplication,
    Match,
    Offer,
    Volunteer,
)

dated = TypeVar("dated", Agreement, Enrolment, Match, FundingApplication)
created = TypeVar("created", Offer, Volunteer)


async def page_by_date_desc(
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


async def page_by_created_desc(
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
