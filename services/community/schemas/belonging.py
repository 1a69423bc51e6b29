"""The belonging overview: children without belonging, active enrolments per partner."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from services.community.models import Child, Partner
from services.community.schemas.partners import PartnerOut


class ChildRefOut(BaseModel):
    child_id: uuid.UUID

    @classmethod
    def of(cls, child: Child) -> ChildRefOut:
        return cls(child_id=child.id)


class PartnerEnrolmentsOut(BaseModel):
    partner: PartnerOut
    active_enrolments: int

    @classmethod
    def of(cls, partner: Partner, active_enrolments: int) -> PartnerEnrolmentsOut:
        return cls(partner=PartnerOut.of(partner), active_enrolments=active_enrolments)
