"""Suggestions for a child, each with its score and reasons."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel

from services.community.domain.suggestions import Suggestion
from services.community.models import Child, Offer, Volunteer
from services.community.schemas.offers import OfferOut
from services.community.schemas.volunteers import VolunteerOut


class SuggestedOfferOut(BaseModel):
    offer: OfferOut
    score: int
    reasons: list[str]


class SuggestedVolunteerOut(BaseModel):
    volunteer: VolunteerOut
    score: int
    reasons: list[str]


class SuggestionsOut(BaseModel):
    child_id: uuid.UUID
    offers: list[SuggestedOfferOut]
    volunteers: list[SuggestedVolunteerOut]

    @classmethod
    def of(
        cls,
        child: Child,
        offers: Sequence[Suggestion[Offer]],
        volunteers: Sequence[Suggestion[Volunteer]],
        *,
        enrolled: Mapping[uuid.UUID, int],
        today: date,
        limit_months: int,
    ) -> SuggestionsOut:
        return cls(
            child_id=child.id,
            offers=[
                SuggestedOfferOut(
                    offer=OfferOut.of(s.item, enrolled), score=s.score, reasons=s.reasons
                )
                for s in offers
            ],
            volunteers=[
                SuggestedVolunteerOut(
                    volunteer=VolunteerOut.of(s.item, today=today, limit_months=limit_months),
                    score=s.score,
                    reasons=s.reasons,
                )
                for s in volunteers
            ],
        )
