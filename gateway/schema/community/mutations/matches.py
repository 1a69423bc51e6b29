"""Community's match mutations: a child and a volunteer, with consent."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Match
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class MatchMutation:
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
