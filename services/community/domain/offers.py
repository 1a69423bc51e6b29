"""Offers: what a partner runs for children in a municipality, with a number of places."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from havn.errors import InvalidInput
from services.community.domain.kinds import OfferKind, parse_kind
from services.community.domain.text import check_languages, check_text, check_words
from services.community.models import Offer, Partner


@dataclass(frozen=True, kw_only=True)
class NewOffer:
    kind: str
    title: str
    tags: list[str]
    languages: list[str]
    capacity: int
    schedule: str | None


def create_offer(*, tenant_id: str, partner: Partner, new: NewOffer) -> Offer:
    if not 1 <= new.capacity <= 10_000:
        raise InvalidInput("capacity must be between 1 and 10000", field="capacity")
    schedule = (new.schedule or "").strip()
    return Offer(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        kind=parse_kind(OfferKind, new.kind).value,
        title=check_text(new.title, field="title"),
        tags=check_words(new.tags, field="tags"),
        languages=check_languages(new.languages),
        capacity=new.capacity,
        schedule=check_text(schedule, field="schedule", max_length=500) if schedule else None,
    )
