"""Care's contact-person mutations: a child's contact person (hovedkontakt)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import ChildCare
from gateway.security import Requires
from havn import permissions


@strawberry.type
class ContactPersonMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.CONTACT_PERSON_ASSIGN)],
        description="Caseworker: make a user with the contact-person role in the municipality "
        "the child's contact person. A child that has one keeps them unless replace is true "
        "(else CONFLICT naming the current one).",
    )
    async def assign_contact_person(
        self, info: Info, child_id: strawberry.ID, username: str, replace: bool = False
    ) -> ChildCare:
        payload = await call_care_on_child(
            info,
            child_id,
            "PUT",
            "contact-person",
            {"username": username, "replace": replace},
        )
        return ChildCare.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.CONTACT_PERSON_ASSIGN)])
    async def unassign_contact_person(self, info: Info, child_id: strawberry.ID) -> ChildCare:
        payload = await call_care_on_child(info, child_id, "DELETE", "contact-person")
        return ChildCare.from_payload(payload)
