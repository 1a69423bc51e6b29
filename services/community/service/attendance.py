"""Attendance registers: whether an enrolled child came on a day."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.errors import Conflict, NotFound
from services.community import events
from services.community.domain import attendance as rules
from services.community.models import Attendance, Enrolment
from services.community.repository import attendance, enrolments
from services.community.schemas.attendance import AttendanceIn
from services.community.service.grants import log_listed_children, visible_children_of_partner
from services.community.service.partners import callers_partner, is_partner, staff_or_partner_reach


@dataclass(frozen=True)
class Registers:
    """Enrolments the caller may see, each with its attendance, newest day first."""

    enrolments: Sequence[Enrolment]
    attendance: dict[uuid.UUID, list[Attendance]]


async def enrolment_for_attendance(
    session: AsyncSession, principal: Principal, enrolment_id: uuid.UUID, today: date
) -> Enrolment:
    """The enrolment, if the caller may keep its register: a partner only its own, in force."""
    enrolment = await enrolments.get_enrolment(session, enrolment_id, for_update=True)
    if enrolment is None or enrolment.offer is None:
        raise NotFound("no such enrolment")
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        own = partner is not None and enrolment.offer.partner_id == partner.id
        if not own or partner is None:
            raise NotFound("no such enrolment among your organisation's offers")
        granted = await visible_children_of_partner(session, partner, [enrolment.child_id], today)
        if enrolment.child_id not in granted:
            raise Conflict("your organisation's access to this child has ended")
    return enrolment


async def record_attendance(
    session: AsyncSession,
    *,
    principal: Principal,
    enrolment_id: uuid.UUID,
    body: AttendanceIn,
    today: date,
    now: datetime,
) -> Attendance:
    """Whether the child came on a day; a partner keeps the register of its own offers only."""
    enrolment = await enrolment_for_attendance(session, principal, enrolment_id, today)
    if await attendance.attendance_exists(session, enrolment.id, body.on):
        raise Conflict(f"attendance for {body.on.isoformat()} is already recorded")
    row = rules.record_attendance(
        enrolment=enrolment,
        attended_on=body.on,
        present=body.present,
        by=principal.username,
        org=principal.org if is_partner(principal) else None,
        today=today,
        now=now,
    )
    session.add(row)
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=enrolment.tenant_id,
        child_ids=[enrolment.child_id],
        data_class=DataClass.BASIC,
        operation="community.attendance.record",
    )
    return row


async def attendance_by_enrolment_ids(
    session: AsyncSession,
    *,
    principal: Principal,
    enrolment_ids: Sequence[uuid.UUID],
    today: date,
) -> Registers:
    """Attendance of many enrolments; a partner's own offers only, children per grant."""
    reach = staff_or_partner_reach(principal)
    if reach.nobody:
        return Registers([], {})
    found = await enrolments.enrolments_by_ids(session, enrolment_ids, reach=reach)
    partner = await callers_partner(session, principal) if is_partner(principal) else None
    if is_partner(principal) and partner is None:
        return Registers([], {})
    if partner is not None:
        found = [e for e in found if e.offer is not None and e.offer.partner_id == partner.id]
    rows = await attendance.attendance_for(session, [e.id for e in found])
    await log_listed_children(
        session,
        principal,
        partner=partner,
        child_ids=[e.child_id for e in found],
        today=today,
        operation="community.attendance.read",
    )
    return Registers(found, rows)
