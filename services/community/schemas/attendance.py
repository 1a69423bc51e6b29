"""Attendance registers: what routes take and give, and how each is presented."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field

from havn.dates import EventDate
from havn.pagination import MAX_PAGE_SIZE
from services.community.models import Attendance, Enrolment


class AttendanceIn(BaseModel):
    on: EventDate
    present: bool


class AttendanceOut(BaseModel):
    id: uuid.UUID
    enrolment_id: uuid.UUID
    on: date
    present: bool
    recorded_by: str
    recorded_org: str | None

    @classmethod
    def of(cls, row: Attendance) -> AttendanceOut:
        return cls(
            id=row.id,
            enrolment_id=row.enrolment_id,
            on=row.attended_on,
            present=row.present,
            recorded_by=row.recorded_by,
            recorded_org=row.recorded_org,
        )


class AttendanceBatchIn(BaseModel):
    enrolment_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class EnrolmentAttendanceOut(BaseModel):
    enrolment_id: uuid.UUID
    attendance: list[AttendanceOut]

    @classmethod
    def of(cls, enrolment: Enrolment, rows: Sequence[Attendance]) -> EnrolmentAttendanceOut:
        return cls(enrolment_id=enrolment.id, attendance=[AttendanceOut.of(row) for row in rows])
