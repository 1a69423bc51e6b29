"""Attendance registers of enrolments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.models import Attendance


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
