"""What the community and partner browser tests share: GraphQL set-up as the dev users,
names no other test uses, and a settled child community has heard of."""

from __future__ import annotations

from typing import Any

from havn.clock import Clock
from tests.client import GraphQLClient
from tests.factories import settle_child, unique_name
from tests.waiting import eventually
from tests.web.conftest import BackgroundStack

TODAY = Clock().today()
COORDINATOR = "bergen-volunteers"
SOS = "sos-barnebyer"
SET_INTERESTS = """mutation($id: ID!, $interests: [String!]!) {
  setChildInterests(childId: $id, interests: $interests) }"""


def gql(
    web_stack: BackgroundStack,
    user: str,
    document: str,
    variables: dict[str, Any] | None = None,
    *,
    tenant: str | None = None,
) -> Any:
    return web_stack.run(GraphQLClient(web_stack.stack)(user, document, variables, tenant=tenant))


def unique_word() -> str:
    """Letters no other test uses (names and tags must be letters)."""
    return unique_name("x").split()[-1]


def settled_child_in_community(web_stack: BackgroundStack, interests: list[str]) -> dict[str, Any]:
    """A Bergen child with a first name of its own, once community has heard of its arrival
    (then its interests can be recorded)."""
    first_name = unique_word()
    client = GraphQLClient(web_stack.stack)

    async def settle() -> dict[str, Any]:
        child = await settle_child(client, TODAY, fullName=f"{first_name} Rahimi")

        async def record() -> dict[str, Any]:
            return await client.raw(
                COORDINATOR, SET_INTERESTS, {"id": child["id"], "interests": interests}
            )

        await eventually(record, lambda body: not body.get("errors"))
        return child

    child = web_stack.run(settle())
    return {"id": child["id"], "first_name": first_name}
