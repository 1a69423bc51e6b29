"""Funding applications and the municipality's totals."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Annotated

from pydantic import BaseModel

from havn.dates import EventDate
from havn.numbers import Int32
from havn.text import OneLine, Paragraphs
from services.community.domain.kinds import FundingStatus
from services.community.models import FundingApplication


class FundingIn(BaseModel):
    foundation: Annotated[str, OneLine(200)]
    purpose: Annotated[str, Paragraphs(2000)]
    amount_nok: Int32
    applied_on: EventDate


class FundingDecisionIn(BaseModel):
    status: Annotated[str, OneLine(16)]
    decision_on: EventDate
    granted_nok: Int32 | None = None


class FundingOut(BaseModel):
    id: uuid.UUID
    municipality: str
    foundation: str
    purpose: str
    amount_nok: int
    status: str
    applied_on: date
    decision_on: date | None
    granted_nok: int | None

    @classmethod
    def of(cls, application: FundingApplication) -> FundingOut:
        return cls(
            id=application.id,
            municipality=application.tenant_id,
            foundation=application.foundation,
            purpose=application.purpose,
            amount_nok=application.amount_nok,
            status=application.status,
            applied_on=application.applied_on,
            decision_on=application.decision_on,
            granted_nok=application.granted_nok,
        )


class FundingTotalsOut(BaseModel):
    municipality: str
    applications: int
    applied_nok: int
    pending_nok: int
    granted_nok: int
    rejected_nok: int

    @classmethod
    def of(cls, municipality: str, totals: Mapping[str, tuple[int, int, int]]) -> FundingTotalsOut:
        """`totals`: per status, applications, kroner applied for and kroner granted."""

        def applied(status: FundingStatus) -> int:
            return totals.get(status.value, (0, 0, 0))[1]

        return cls(
            municipality=municipality,
            applications=sum(count for count, _, _ in totals.values()),
            applied_nok=sum(amount for _, amount, _ in totals.values()),
            pending_nok=applied(FundingStatus.APPLIED),
            granted_nok=totals.get(FundingStatus.GRANTED.value, (0, 0, 0))[2],
            rejected_nok=applied(FundingStatus.REJECTED),
        )
