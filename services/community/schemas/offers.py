"""Offers: what routes take and give, and how each is presented."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, Field

from havn.numbers import Int32
from havn.text import Line, OneLine
from services.community.domain.kinds import OfferKind
from services.community.domain.text import MAX_WORDS
from services.community.models import Offer
from services.community.schemas.partners import PartnerOut


class OfferIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    title: Line
    kind: Annotated[str, OneLine(24)] = OfferKind.LEISURE.value
    tags: list[Line] = Field(max_length=MAX_WORDS)
    languages: list[Line] = Field(default_factory=list, max_length=20)
    capacity: Int32
    schedule: Annotated[str, OneLine(500)] | None = None


class OfferOut(BaseModel):
    id: uuid.UUID
    municipality: str
    kind: str
    title: str
    partner: PartnerOut
    tags: list[str]
    languages: list[str]
    capacity: int
    enrolled: int
    free_places: int
    schedule: str | None

    @classmethod
    def of(cls, offer: Offer, enrolled: Mapping[uuid.UUID, int]) -> OfferOut:
        """`enrolled`: places taken today, per offer."""
        taken = enrolled.get(offer.id, 0)
        return cls(
            id=offer.id,
            municipality=offer.tenant_id,
            kind=offer.kind,
            title=offer.title,
            partner=PartnerOut.of(offer.partner),
            tags=offer.tags,
            languages=offer.languages,
            capacity=offer.capacity,
            enrolled=taken,
            free_places=max(offer.capacity - taken, 0),
            schedule=offer.schedule,
        )
