"""Community's volunteer mutations: volunteers and their police certificates."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.queries import CommunitySettings
from gateway.schema.community.types import Volunteer
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.input
class VolunteerInput:
    partner_slug: str
    kind: str = strawberry.field(description="MENTOR, SUPPORT_FAMILY or VISITING_FAMILY")
    name: str
    languages: list[str] | None = None
    interests: list[str] | None = None
    police_certificate_checked_on: date | None = None


@strawberry.type
class VolunteerMutation:
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
