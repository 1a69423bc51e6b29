"""What the community and partner browser tests share: names no other test uses, SOS-barnebyer
and its offer in a municipality, and a settled child community has heard of."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from havn.clock import Clock
from tests.factories import Municipality, settle_child, unique_name
from tests.waiting import eventually
from tests.web.conftest import BackgroundStack

TODAY = Clock().today()
# The demo's volunteer coordinator in Bergen, of the done-when journey.
COORDINATOR = "bergen-volunteers"
SOS = "sos-barnebyer"
SET_INTERESTS = """mutation($id: ID!, $interests: [String!]!) {
  setChildInterests(childId: $id, interests: $interests) }"""
SOS_WITH_AGREEMENT = """
mutation($scope: String!, $from: Date!) {
  registerPartner(input: { slug: "sos-barnebyer", name: "SOS-barnebyer", kind: "NGO" }) { id }
  createAgreement(input: { partnerSlug: "sos-barnebyer", scope: $scope, validFrom: $from }) { id }
}"""
CREATE_OFFER = """
mutation($title: String!, $tags: [String!]!) {
  createOffer(input: { partnerSlug: "sos-barnebyer", title: $title, tags: $tags, capacity: 5 }) {
    id
  }
}"""


def unique_word() -> str:
    """Letters no other test uses (names and tags must be letters)."""
    return unique_name("x").split()[-1]


def sos_offer_in(web_stack: BackgroundStack, town: Municipality, *, title: str, tag: str) -> str:
    """SOS-barnebyer in `town`, under an agreement in force, and an offer of it: the offer's id."""
    scope = {"scope": f"Fritid {tag}", "from": (TODAY - timedelta(days=1)).isoformat()}
    web_stack.query(town.volunteers, SOS_WITH_AGREEMENT, scope)
    offer = web_stack.query(town.volunteers, CREATE_OFFER, {"title": title, "tags": [tag]})
    return str(offer["createOffer"]["id"])


def settled_child_in_community(
    web_stack: BackgroundStack, interests: list[str], town: Municipality | None = None
) -> dict[str, Any]:
    """A child of `town` (the demo's Bergen, for the done-when journey, when none) with a first
    name of its own, once community has heard of its arrival (then its interests can be
    recorded)."""
    first_name = unique_word()
    client = web_stack.gql
    settler = {"coordinator": town.coordinator, "municipality": town.number} if town else {}
    volunteers = town.volunteers if town else COORDINATOR

    async def settle() -> dict[str, Any]:
        child = await settle_child(client, TODAY, fullName=f"{first_name} Rahimi", **settler)

        async def record() -> dict[str, Any]:
            return await client.raw(
                volunteers, SET_INTERESTS, {"id": child["id"], "interests": interests}
            )

        await eventually(record, lambda body: not body.get("errors"))
        return child

    child = web_stack.run(settle())
    return {"id": child["id"], "first_name": first_name}
