"""Community's interests mutation: what the child likes, for suggestions."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class InterestMutation:
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
