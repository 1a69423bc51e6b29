"""A child's community life as staff see it, and its basic profile as a partner sees it."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import date

from pydantic import BaseModel, Field

from havn.text import Line
from services.community.domain.children import age_on
from services.community.domain.grants import GRANT_SCOPE, GrantedChild
from services.community.domain.text import MAX_WORDS
from services.community.models import Child, Partner
from services.community.schemas.enrolments import EnrolmentOut


class InterestsIn(BaseModel):
    interests: list[Line] = Field(max_length=MAX_WORDS)


class ChildCommunityOut(BaseModel):
    child_id: uuid.UUID
    interests: list[str]
    enrolments: list[EnrolmentOut]

    @classmethod
    def of(
        cls,
        child: Child,
        today: date,
        enrolled: Mapping[uuid.UUID, int],
        partner: Partner | None,
        visible: Collection[uuid.UUID] | None,
    ) -> ChildCommunityOut:
        """The child with its enrolments; a partner's view keeps its own organisation's only."""
        return cls(
            child_id=child.id,
            interests=child.interests,
            enrolments=[
                EnrolmentOut.of(enrolment, today, enrolled, visible)
                for enrolment in child.enrolments
                # An offer left behind in the municipality the child moved from is not shown.
                if enrolment.offer is not None
                and (partner is None or enrolment.offer.partner_id == partner.id)
            ],
        )


class GrantRef(BaseModel):
    """The grant a partner's view of a child rests on: the gateway checks it again."""

    org: str
    scope: str
    expires_on: date | None


class PartnerChildOut(BaseModel):
    """A child's basic profile, as a partner with a grant sees it: nothing more."""

    id: uuid.UUID
    municipality: str
    phase: str
    first_name: str
    age: int
    languages: list[str]
    interests: list[str]
    grant: GrantRef

    @classmethod
    def of(cls, granted: GrantedChild, today: date) -> PartnerChildOut:
        child = granted.child
        return cls(
            id=child.id,
            municipality=child.tenant_id,
            # Community does not follow the child's phase; partners work with children in care.
            phase="CARE",
            first_name=child.first_name,
            age=age_on(child.date_of_birth, today),
            languages=child.languages,
            interests=child.interests,
            grant=GrantRef(
                org=granted.partner.slug, scope=GRANT_SCOPE, expires_on=granted.expires_on
            ),
        )
