"""Transition's queries: the caseload of children on their way to independent life."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, connection_of, page_size
from gateway.schema.transition.types import TransitionCase
from gateway.security import Requires, caller, parse_id
from havn import permissions
from havn.vocabulary import TransitionCaseloadFilter


@strawberry.type
class TransitionQuery:
    @strawberry.field(
        extensions=[Requires(permissions.transition.TRANSITION_READ)],
        description="The municipality's transition caseload, soonest first; `filter` narrows "
        "it to children turning 18 within 90 days, with an aftercare decision overdue, or "
        "with an outcome due.",
    )
    async def transition_caseload(
        self,
        info: Info,
        filter: TransitionCaseloadFilter | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[TransitionCase]:
        principal = caller(info)
        page = await info.context.services.call(
            principal,
            "transition",
            "GET",
            "/v1/transitions",
            params={
                "filter": filter.value if filter else None,
                "first": page_size(first),
                "after": after,
            },
        )
        for item in page["items"]:
            info.context.loaders.transition.prime(
                parse_id(item["transition"]["child_id"]), item["transition"]
            )
        return connection_of(page, TransitionCase.from_payload)
