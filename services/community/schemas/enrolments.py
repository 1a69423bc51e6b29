"""Enrolments: what routes take and give, and how each is presented."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import date

from pydantic import BaseModel

from services.community.domain.enrolments import enrolment_is_active
from services.community.models import Enrolment
from services.community.schemas.offers import OfferOut


class EnrolIn(BaseModel):
    child_id: uuid.UUID
    offer_id: uuid.UUID
    consent_given: bool


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    # null for a partner once its grant to the child is no longer in force
    child_id: uuid.UUID | None
    offer_id: uuid.UUID
    # null where the offer stayed in the municipality the child moved from
    offer: OfferOut | None
    started_on: date
    ended_on: date | None
    active: bool

    @classmethod
    def of(
        cls,
        enrolment: Enrolment,
        today: date,
        enrolled: Mapping[uuid.UUID, int],
        visible_children: Collection[uuid.UUID] | None = None,
    ) -> EnrolmentOut:
        """`visible_children`: for a partner, the children its grants let it see (others null)."""
        shown = visible_children is None or enrolment.child_id in visible_children
        return cls(
            id=enrolment.id,
            child_id=enrolment.child_id if shown else None,
            offer_id=enrolment.offer_id,
            offer=OfferOut.of(enrolment.offer, enrolled) if enrolment.offer else None,
            started_on=enrolment.started_on,
            ended_on=enrolment.ended_on,
            active=enrolment_is_active(enrolment=enrolment, today=today),
        )
