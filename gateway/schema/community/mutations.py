"""Community's mutations: partners, agreements, offers, volunteers, the child's interests,
enrolments and matches (with consent, opening and closing partners' grants), attendance,
funding applications."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.community.queries import CommunitySettings
from gateway.schema.community.types import (
    Agreement,
    Attendance,
    Enrolment,
    FundingApplication,
    Match,
    Offer,
    Partner,
    Volunteer,
)
from gateway.security import (
    Requires,
    parse_id,
)
from havn import permissions


@strawberry.input
class PartnerInput:
    slug: str
    name: str
    kind: str = strawberry.field(
        description="NGO, SPORTS_CLUB, EMPLOYER, FAITH, LIBRARY, VOLUNTEER_CENTRE or OTHER"
    )


@strawberry.input
class AgreementInput:
    partner_slug: str
    scope: str
    valid_from: date
    valid_to: date | None = None


@strawberry.input
class OfferInput:
    partner_slug: str
    title: str
    tags: list[str]
    capacity: int
    languages: list[str] | None = None
    kind: str = strawberry.field(
        default="LEISURE", description="LEISURE, LANGUAGE_CAFE, WORK_TRAINING or SUMMER_JOB"
    )
    schedule: str | None = None


@strawberry.input
class VolunteerInput:
    partner_slug: str
    kind: str = strawberry.field(description="MENTOR, SUPPORT_FAMILY or VISITING_FAMILY")
    name: str
    languages: list[str] | None = None
    interests: list[str] | None = None
    police_certificate_checked_on: date | None = None


@strawberry.input
class FundingApplicationInput:
    foundation: str
    purpose: str
    amount_nok: int
    applied_on: date


@strawberry.input
class FundingDecisionInput:
    status: str = strawberry.field(description="GRANTED or REJECTED")
    decision_on: date
    granted_nok: int | None = None


async def community_post(info: Info, path: str, body: dict[str, Any] | None = None) -> Any:
    return await info.context.services.call(
        info.context.principal, "community", "POST", path, json=body or {}
    )


@strawberry.type
class CommunityMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.community.PARTNER_REGISTER)],
        description="Registers a partner (or returns it: partners are shared).",
    )
    async def register_partner(self, info: Info, input: PartnerInput) -> Partner:
        payload = await community_post(
            info, "/v1/partners", {"slug": input.slug, "name": input.name, "kind": input.kind}
        )
        return Partner.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.AGREEMENT_MAKE)],
        description="A partnership agreement between your municipality and one.",
    )
    async def create_agreement(self, info: Info, input: AgreementInput) -> Agreement:
        payload = await community_post(
            info,
            "/v1/agreements",
            {
                "partner_slug": input.partner_slug,
                "scope": input.scope,
                "valid_from": input.valid_from.isoformat(),
                "valid_to": input.valid_to.isoformat() if input.valid_to else None,
            },
        )
        return Agreement.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.OFFER_CREATE)],
        description="An offer by a partner with an agreement in force.",
    )
    async def create_offer(self, info: Info, input: OfferInput) -> Offer:
        payload = await community_post(
            info,
            "/v1/offers",
            {
                "partner_slug": input.partner_slug,
                "title": input.title,
                "kind": input.kind,
                "tags": input.tags,
                "languages": input.languages or [],
                "capacity": input.capacity,
                "schedule": input.schedule,
            },
        )
        return Offer.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.community.VOLUNTEER_REGISTER)])
    async def register_volunteer(self, info: Info, input: VolunteerInput) -> Volunteer:
        checked_on = input.police_certificate_checked_on
        payload = await community_post(
            info,
            "/v1/volunteers",
            {
                "partner_slug": input.partner_slug,
                "kind": input.kind,
                "name": input.name,
                "languages": input.languages or [],
                "interests": input.interests or [],
                "police_certificate_checked_on": checked_on.isoformat() if checked_on else None,
            },
        )
        return Volunteer.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.POLICE_CERTIFICATE_RECORD)],
        description="Records the day a volunteer's politiattest was checked.",
    )
    async def record_police_certificate(
        self, info: Info, volunteer_id: strawberry.ID, checked_on: date
    ) -> Volunteer:
        payload = await community_post(
            info,
            f"/v1/volunteers/{parse_id(volunteer_id, 'volunteerId')}/police-certificate",
            {"checked_on": checked_on.isoformat()},
        )
        return Volunteer.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.SETTINGS_WRITE)],
        description="Municipality admin: the police certificate age limit.",
    )
    async def set_police_certificate_limit(self, info: Info, months: int) -> CommunitySettings:
        body = await info.context.services.call(
            info.context.principal,
            "community",
            "PUT",
            "/v1/settings/police-certificate-limit",
            json={"months": months},
        )
        return CommunitySettings(**body)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.INTERESTS_RECORD)],
        description="What the child, asked, says it would like to do.",
    )
    async def set_child_interests(
        self, info: Info, child_id: strawberry.ID, interests: list[str]
    ) -> list[str]:
        body = await info.context.services.call(
            info.context.principal,
            "community",
            "PUT",
            f"/v1/children/{parse_id(child_id, 'childId')}/interests",
            json={"interests": interests},
        )
        return list(body["interests"])

    @strawberry.mutation(
        extensions=[Requires(permissions.community.ENROL)],
        description="Enrols a consenting child; opens the partner's grant.",
    )
    async def enrol(
        self, info: Info, child_id: strawberry.ID, offer_id: strawberry.ID, consent_given: bool
    ) -> Enrolment:
        payload = await community_post(
            info,
            "/v1/enrolments",
            {
                "child_id": str(parse_id(child_id, "childId")),
                "offer_id": str(parse_id(offer_id, "offerId")),
                "consent_given": consent_given,
            },
        )
        return Enrolment.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.ENROLMENT_END)],
        description="Ends the enrolment today; closes the partner's grant.",
    )
    async def end_enrolment(self, info: Info, id: strawberry.ID) -> Enrolment:
        payload = await community_post(info, f"/v1/enrolments/{parse_id(id)}/end")
        return Enrolment.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.MATCH)],
        description="Matches a consenting child with a certified volunteer.",
    )
    async def match_volunteer(
        self, info: Info, child_id: strawberry.ID, volunteer_id: strawberry.ID, consent_given: bool
    ) -> Match:
        payload = await community_post(
            info,
            "/v1/matches",
            {
                "child_id": str(parse_id(child_id, "childId")),
                "volunteer_id": str(parse_id(volunteer_id, "volunteerId")),
                "consent_given": consent_given,
            },
        )
        return Match.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.MATCH_END)],
        description="Ends the match today; closes the partner's grant.",
    )
    async def end_match(self, info: Info, id: strawberry.ID) -> Match:
        payload = await community_post(info, f"/v1/matches/{parse_id(id)}/end")
        return Match.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.ATTENDANCE_RECORD)],
        description="Partner or staff: whether the child came on a day.",
    )
    async def record_attendance(
        self, info: Info, enrolment_id: strawberry.ID, on: date, present: bool
    ) -> Attendance:
        payload = await community_post(
            info,
            f"/v1/enrolments/{parse_id(enrolment_id, 'enrolmentId')}/attendance",
            {"on": on.isoformat(), "present": present},
        )
        return Attendance.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.community.FUNDING_WRITE)])
    async def apply_for_funding(
        self, info: Info, input: FundingApplicationInput
    ) -> FundingApplication:
        payload = await community_post(
            info,
            "/v1/funding-applications",
            {
                "foundation": input.foundation,
                "purpose": input.purpose,
                "amount_nok": input.amount_nok,
                "applied_on": input.applied_on.isoformat(),
            },
        )
        return FundingApplication.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.FUNDING_DECIDE)],
        description="Records a foundation's decision on an application.",
    )
    async def decide_funding(
        self, info: Info, id: strawberry.ID, input: FundingDecisionInput
    ) -> FundingApplication:
        payload = await community_post(
            info,
            f"/v1/funding-applications/{parse_id(id)}/decision",
            {
                "status": input.status,
                "decision_on": input.decision_on.isoformat(),
                "granted_nok": input.granted_nok,
            },
        )
        return FundingApplication.from_payload(payload)
