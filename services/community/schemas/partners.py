"""Partners and agreements: what routes take and give, and how each is presented."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel

from havn.dates import EventDate
from havn.text import Line, OneLine, Paragraphs
from services.community.domain.agreements import agreement_is_active
from services.community.models import Agreement, Partner


class PartnerIn(BaseModel):
    slug: Annotated[str, OneLine(60)]
    name: Line
    kind: Annotated[str, OneLine(24)]


class PartnerOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    kind: str

    @classmethod
    def of(cls, partner: Partner) -> PartnerOut:
        return cls(id=partner.id, slug=partner.slug, name=partner.name, kind=partner.kind)


class AgreementIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    scope: Annotated[str, Paragraphs(2000)]
    valid_from: EventDate
    valid_to: EventDate | None = None


class AgreementOut(BaseModel):
    id: uuid.UUID
    municipality: str
    partner: PartnerOut
    scope: str
    valid_from: date
    valid_to: date | None
    active: bool

    @classmethod
    def of(cls, agreement: Agreement, today: date) -> AgreementOut:
        return cls(
            id=agreement.id,
            municipality=agreement.tenant_id,
            partner=PartnerOut.of(agreement.partner),
            scope=agreement.scope,
            valid_from=agreement.valid_from,
            valid_to=agreement.valid_to,
            active=agreement_is_active(agreement, today=today),
        )
