"""Attendance: whether an enrolled child came on a day."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from havn.errors import Conflict, InvalidInput
from services.community.domain.enrolments import enrolment_is_active
from services.community.models import Attendance, Enrolment


def record_attendance(
    *,
    enrolment: Enrolment,
    attended_on: date,
    present: bool,
    by: str,
    org: str | None,
    today: date,
    now: datetime,
) -> Attendance:
    """Attendance for a day of an active enrolment, not in the future."""
    if attended_on > today:
        raise InvalidInput("attendance cannot be recorded for a future day", field="on")
    if attended_on < enrolment.started_on:
        raise InvalidInput("the day is before the enrolment started", field="on")
    if not enrolment_is_active(enrolment=enrolment, today=today):
        raise Conflict("the enrolment has ended: attendance can no longer be recorded")
    return Attendance(
        id=uuid.uuid4(),
        tenant_id=enrolment.tenant_id,
        enrolment_id=enrolment.id,
        child_id=enrolment.child_id,
        attended_on=attended_on,
        present=present,
        recorded_by=by,
        recorded_org=org,
        recorded_at=now,
    )
