"""Community's enrolment mutations: with consent, opening and closing partners' grants."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Enrolment
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class EnrolmentMutation:
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
