"""Care's interpreter mutation: whether the child needs an interpreter (kept by intake)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.child import Child
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class InterpreterMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.INTERPRETER_NEED_SET)],
        description="Caseworker: whether the child needs an interpreter (in its first language "
        "that is not Norwegian, unless updateChild names another). Intake keeps this on the "
        "child; care follows it for meetings. Emits child.updated.",
    )
    async def set_interpreter_need(
        self, info: Info, child_id: strawberry.ID, needed: bool
    ) -> Child:
        payload = await info.context.services.call(
            info.context.principal,
            "intake",
            "PATCH",
            f"/v1/children/{parse_id(child_id, 'childId')}",
            json={"interpreter_needed": needed},
            renamed={"interpreter_needed": "needed"},
        )
        return Child.from_payload(payload)
