"""Community (phase 4) as the public schema shows it: partners, offers, volunteers, enrolments.

Each part declares who may see it (gateway/security.py); the community service checks the
same again, and a partner's view of a child again against its grant.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from gateway.schema.common import Payload, child_field, optional_date
from gateway.security import Requires
from havn import permissions


@strawberry.type
class Partner:
    """A partner organisation, shared by the municipalities it works with."""

    id: strawberry.ID
    slug: str
    name: str
    kind: str = strawberry.field(
        description="NGO, SPORTS_CLUB, EMPLOYER, FAITH, LIBRARY, VOLUNTEER_CENTRE or OTHER"
    )

    @classmethod
    def from_payload(cls, p: Payload) -> Partner:
        return cls(id=strawberry.ID(p["id"]), slug=p["slug"], name=p["name"], kind=p["kind"])


@strawberry.type
class Agreement:
    """A partnership agreement (samarbeidsavtale): offers and grants need one in force."""

    id: strawberry.ID
    municipality: str
    partner: Partner
    scope: str
    valid_from: date
    valid_to: date | None
    active: bool

    @classmethod
    def from_payload(cls, p: Payload) -> Agreement:
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            partner=Partner.from_payload(p["partner"]),
            scope=p["scope"],
            valid_from=date.fromisoformat(p["valid_from"]),
            valid_to=optional_date(p["valid_to"]),
            active=p["active"],
        )


@strawberry.type
class Offer:
    id: strawberry.ID
    title: str
    partner: Partner
    tags: list[str]
    capacity: int
    enrolled: int
    kind: str = strawberry.field(description="LEISURE, LANGUAGE_CAFE, WORK_TRAINING or SUMMER_JOB")
    municipality: str
    languages: list[str]
    free_places: int
    schedule: str | None

    @classmethod
    def from_payload(cls, p: Payload) -> Offer:
        return cls(
            id=strawberry.ID(p["id"]),
            title=p["title"],
            partner=Partner.from_payload(p["partner"]),
            tags=p["tags"],
            capacity=p["capacity"],
            enrolled=p["enrolled"],
            kind=p["kind"],
            municipality=p["municipality"],
            languages=p["languages"],
            free_places=p["free_places"],
            schedule=p["schedule"],
        )


@strawberry.type
class Volunteer:
    """A mentor, support family or visiting family, through a partner organisation."""

    id: strawberry.ID
    kind: str = strawberry.field(description="MENTOR, SUPPORT_FAMILY or VISITING_FAMILY")
    name: str
    partner: Partner
    languages: list[str]
    interests: list[str]
    police_certificate_checked_on: date | None
    police_certificate_valid: bool = strawberry.field(
        description="False when missing or older than the municipality's limit: cannot be matched"
    )
    police_certificate_valid_until: date | None = strawberry.field(
        description="The certificate's last valid day under the municipality's limit"
    )

    @classmethod
    def from_payload(cls, p: Payload) -> Volunteer:
        return cls(
            id=strawberry.ID(p["id"]),
            kind=p["kind"],
            name=p["name"],
            partner=Partner.from_payload(p["partner"]),
            languages=p["languages"],
            interests=p["interests"],
            police_certificate_checked_on=optional_date(p["police_certificate_checked_on"]),
            police_certificate_valid=p["police_certificate_valid"],
            police_certificate_valid_until=optional_date(p["police_certificate_valid_until"]),
        )


@strawberry.type
class Attendance:
    id: strawberry.ID
    on: date
    present: bool
    recorded_by: str
    recorded_org: str | None

    @classmethod
    def from_payload(cls, p: Payload) -> Attendance:
        return cls(
            id=strawberry.ID(p["id"]),
            on=date.fromisoformat(p["on"]),
            present=p["present"],
            recorded_by=p["recorded_by"],
            recorded_org=p["recorded_org"],
        )


@strawberry.type
class Enrolment:
    id: strawberry.ID
    offer: Offer
    started_on: date
    ended_on: date | None
    active: bool
    child_id: strawberry.Private[str | None]

    child = child_field(
        lambda enrolment: enrolment.child_id,
        description="The child, if you may see it (a partner: while its grant is).",
    )

    @strawberry.field(
        extensions=[Requires(permissions.community.ATTENDANCE_READ)],
        description="The register kept for this enrolment, newest day first.",
    )
    async def attendance(self, info: Info) -> list[Attendance] | None:
        rows = await info.context.loaders.attendance.load(uuid.UUID(self.id))
        return [Attendance.from_payload(row) for row in rows]

    @classmethod
    def from_payload(cls, p: Payload) -> Enrolment:
        return cls(
            id=strawberry.ID(p["id"]),
            offer=Offer.from_payload(p["offer"]),
            started_on=date.fromisoformat(p["started_on"]),
            ended_on=optional_date(p["ended_on"]),
            active=p["active"],
            child_id=p["child_id"],
        )


@strawberry.type
class Match:
    """A child matched with a volunteer."""

    id: strawberry.ID
    volunteer: Volunteer | None
    started_on: date
    ended_on: date | None
    active: bool
    child_id: strawberry.Private[str | None]

    child = child_field(lambda match: match.child_id)

    @classmethod
    def from_payload(cls, p: Payload) -> Match:
        volunteer = p["volunteer"]
        return cls(
            id=strawberry.ID(p["id"]),
            volunteer=Volunteer.from_payload(volunteer) if volunteer else None,
            started_on=date.fromisoformat(p["started_on"]),
            ended_on=optional_date(p["ended_on"]),
            active=p["active"],
            child_id=p["child_id"],
        )


@strawberry.type
class AccessGrant:
    """A partner's access to one child's basic profile, opened by an enrolment or a match."""

    id: strawberry.ID
    partner: Partner
    scope: str
    source: str
    opened_at: datetime
    expires_on: date | None
    closed_at: datetime | None
    close_reason: str | None
    effective: bool
    child_id: strawberry.Private[str]

    child = child_field(lambda grant: grant.child_id)

    @classmethod
    def from_payload(cls, p: Payload) -> AccessGrant:
        closed_at = p["closed_at"]
        return cls(
            id=strawberry.ID(p["id"]),
            partner=Partner.from_payload(p["partner"]),
            scope=p["scope"],
            source=p["source"],
            opened_at=datetime.fromisoformat(p["opened_at"]),
            expires_on=optional_date(p["expires_on"]),
            closed_at=datetime.fromisoformat(closed_at) if closed_at else None,
            close_reason=p["close_reason"],
            effective=p["effective"],
            child_id=p["child_id"],
        )


@strawberry.type
class OfferSuggestion:
    offer: Offer
    score: int
    reasons: list[str]


@strawberry.type
class VolunteerSuggestion:
    volunteer: Volunteer
    score: int
    reasons: list[str]


@strawberry.type
class Suggestions:
    """Offers and volunteers for a child, best fit first, with the reasons."""

    offers: list[OfferSuggestion]
    volunteers: list[VolunteerSuggestion]

    @classmethod
    def from_payload(cls, p: Payload) -> Suggestions:
        return cls(
            offers=[
                OfferSuggestion(
                    offer=Offer.from_payload(s["offer"]), score=s["score"], reasons=s["reasons"]
                )
                for s in p["offers"]
            ],
            volunteers=[
                VolunteerSuggestion(
                    volunteer=Volunteer.from_payload(s["volunteer"]),
                    score=s["score"],
                    reasons=s["reasons"],
                )
                for s in p["volunteers"]
            ],
        )


@strawberry.type
class PartnerEnrolments:
    partner: Partner
    active_enrolments: int


@strawberry.type
class FundingApplication:
    """An application to a foundation; amounts in whole Norwegian kroner."""

    id: strawberry.ID
    municipality: str
    foundation: str
    purpose: str
    amount_nok: int
    status: str = strawberry.field(description="APPLIED, GRANTED or REJECTED")
    applied_on: date
    decision_on: date | None
    granted_nok: int | None

    @classmethod
    def from_payload(cls, p: Payload) -> FundingApplication:
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            foundation=p["foundation"],
            purpose=p["purpose"],
            amount_nok=p["amount_nok"],
            status=p["status"],
            applied_on=date.fromisoformat(p["applied_on"]),
            decision_on=optional_date(p["decision_on"]),
            granted_nok=p["granted_nok"],
        )


@strawberry.type
class FundingTotals:
    municipality: str
    applications: int
    applied_nok: int
    pending_nok: int
    granted_nok: int
    rejected_nok: int
