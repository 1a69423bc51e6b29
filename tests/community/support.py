"""Builds community data as its owners would: through the service's use cases in a
tenant-bound transaction, or through the gateway with the dev users."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from services.community.events import project_settled_child
from services.community.models import events
from services.community.schemas.enrolments import EnrolIn
from services.community.schemas.offers import OfferIn
from services.community.schemas.partners import AgreementIn, PartnerIn
from services.community.service import agreements, enrolments, offers, partners
from tests.client import GraphQLClient
from tests.factories import BERGEN, child_settled, settle_child
from tests.waiting import eventually

Sessionmaker = async_sessionmaker[AsyncSession]


def staff(role: Role = Role.VOLUNTEER_COORDINATOR, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"{role}-{tenant}",
        username=f"{tenant}-{role}",
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


def partner_user(org: str, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"partner-{org}",
        username=f"{org}-partner",
        roles=frozenset({Role.PARTNER}),
        tenants=(BERGEN, "3203"),
        org=org,
        tenant=tenant,
    )


def unique_slug(prefix: str = "club") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass(frozen=True)
class Enrolled:
    child_id: uuid.UUID
    offer_id: uuid.UUID
    enrolment_id: uuid.UUID
    slug: str


async def settled_child(
    sessionmaker: Sessionmaker, tenant: str = BERGEN, **overrides: Any
) -> uuid.UUID:
    """A child as community hears of it from intake's child.settled."""
    envelope = child_settled(tenant=tenant, **overrides)
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await project_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def partner_with_offer(
    sessionmaker: Sessionmaker,
    clock: Clock,
    *,
    tenant: str = BERGEN,
    slug: str | None = None,
    capacity: int = 10,
    valid_to: date | None = None,
    tags: list[str] | None = None,
    languages: list[str] | None = None,
    kind: str = "LEISURE",
) -> tuple[str, uuid.UUID]:
    """A partner, an agreement in force today and one offer; returns (slug, offer id)."""
    slug = slug or unique_slug()
    today = clock.today()
    coordinator = staff(tenant=tenant)
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await partners.register_partner(
            session,
            principal=coordinator,
            body=PartnerIn(slug=slug, name=slug.title(), kind="SPORTS_CLUB"),
        )
        await agreements.create_agreement(
            session,
            principal=coordinator,
            body=AgreementIn(
                partner_slug=slug,
                scope="Leisure for young refugees",
                valid_from=today - timedelta(days=30),
                valid_to=valid_to,
            ),
        )
        offer = await offers.create_offer(
            session,
            principal=coordinator,
            body=OfferIn(
                partner_slug=slug,
                title=f"{slug} practice",
                kind=kind,
                tags=tags or ["football"],
                languages=languages or [],
                capacity=capacity,
            ),
            today=today,
        )
    return slug, offer.id


async def enrol_child(
    sessionmaker: Sessionmaker,
    clock: Clock,
    child_id: uuid.UUID,
    offer_id: uuid.UUID,
    *,
    tenant: str = BERGEN,
) -> uuid.UUID:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        enrolment, _ = await enrolments.enrol(
            session,
            principal=staff(tenant=tenant),
            body=EnrolIn(child_id=child_id, offer_id=offer_id, consent_given=True),
            today=clock.today(),
            now=clock.now(),
        )
    return enrolment.id


async def enrolled_child(
    sessionmaker: Sessionmaker, clock: Clock, *, tenant: str = BERGEN, **offer: Any
) -> Enrolled:
    """A settled child, enrolled with consent in a fresh partner's offer."""
    child_id = await settled_child(sessionmaker, tenant)
    slug, offer_id = await partner_with_offer(sessionmaker, clock, tenant=tenant, **offer)
    enrolment_id = await enrol_child(sessionmaker, clock, child_id, offer_id, tenant=tenant)
    return Enrolled(child_id, offer_id, enrolment_id, slug)


async def published(
    sessionmaker: Sessionmaker, tenant: str, child_id: uuid.UUID
) -> list[tuple[str, dict[str, Any]]]:
    """The events community wrote to its outbox about a child, oldest first."""
    outbox = events.outbox
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.payload["data"]["child_id"].astext == str(child_id))
            .order_by(outbox.c.created_at)
        )
        return [(event_type, payload["data"]) for event_type, payload in rows]


# --- through the gateway ---------------------------------------------------------------------

REGISTER_PARTNER = """
mutation($input: PartnerInput!) { registerPartner(input: $input) { id slug name kind } }"""
CREATE_AGREEMENT = """
mutation($input: AgreementInput!) {
  createAgreement(input: $input) { id municipality scope validFrom validTo active partner { slug } }
}"""
CREATE_OFFER = """
mutation($input: OfferInput!) {
  createOffer(input: $input) {
    id title kind tags languages capacity enrolled freePlaces partner { slug name }
  }
}"""
REGISTER_VOLUNTEER = """
mutation($input: VolunteerInput!) {
  registerVolunteer(input: $input) {
    id kind name policeCertificateCheckedOn policeCertificateValid partner { slug }
  }
}"""
SET_INTERESTS = """
mutation($child: ID!, $interests: [String!]!) {
  setChildInterests(childId: $child, interests: $interests)
}"""
ENROL = """
mutation($child: ID!, $offer: ID!, $consent: Boolean!) {
  enrol(childId: $child, offerId: $offer, consentGiven: $consent) {
    id active startedOn endedOn offer { id enrolled partner { slug } } child { id firstName }
  }
}"""
END_ENROLMENT = "mutation($id: ID!) { endEnrolment(id: $id) { id active endedOn } }"
RECORD_ATTENDANCE = """
mutation($enrolment: ID!, $on: Date!, $present: Boolean!) {
  recordAttendance(enrolmentId: $enrolment, on: $on, present: $present) {
    id on present recordedBy recordedOrg
  }
}"""


async def known_to_community(gql: GraphQLClient, child_id: str) -> None:
    """Waits until community has projected the child (child.settled arrived)."""

    async def probe() -> int:
        response = await gql.service(
            "bergen-volunteers", "community", "GET", f"/v1/children/{child_id}/suggestions"
        )
        return response.status_code

    await eventually(probe, until=lambda status: status == 200)


async def gateway_offer(
    gql: GraphQLClient,
    today: date,
    *,
    slug: str,
    name: str,
    kind: str = "NGO",
    capacity: int = 10,
    tags: list[str] | None = None,
    valid_to: date | None = None,
) -> dict[str, Any]:
    """Registers (or finds) a partner, an agreement in Bergen and an offer, as the coordinator."""
    await gql(
        "bergen-volunteers", REGISTER_PARTNER, {"input": {"slug": slug, "name": name, "kind": kind}}
    )
    await gql(
        "bergen-volunteers",
        CREATE_AGREEMENT,
        {
            "input": {
                "partnerSlug": slug,
                "scope": "Leisure activities and mentoring for young refugees",
                "validFrom": (today - timedelta(days=30)).isoformat(),
                "validTo": (valid_to or today + timedelta(days=365)).isoformat(),
            }
        },
    )
    data = await gql(
        "bergen-volunteers",
        CREATE_OFFER,
        {
            "input": {
                "partnerSlug": slug,
                "title": f"{name}: football on Saturdays",
                "tags": tags or ["football", "friends"],
                "languages": ["prs"],
                "capacity": capacity,
            }
        },
    )
    offer: dict[str, Any] = data["createOffer"]
    return offer


async def count(sessionmaker, model, *conditions, tenant: str = BERGEN) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        return await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


SOS = "sos-barnebyer"
PARTNER_ENROLMENTS = """
query($offer: ID!) {
  enrolments(offerId: $offer, first: 200) {
    edges { node { id active child { id firstName interests } attendance { on present } } }
  }
}"""


async def enrolled_with_sos(gql, today, **child: Any) -> dict[str, Any]:
    """A Bergen child enrolled, with its consent, in an SOS-barnebyer offer."""
    settled = await settle_child(gql, today, **child)
    await known_to_community(gql, settled["id"])
    offer = await gateway_offer(gql, today, slug=SOS, name="SOS-barnebyer")
    data = await gql(
        "bergen-volunteers", ENROL, {"child": settled["id"], "offer": offer["id"], "consent": True}
    )
    return {"child": settled, "offer": offer, "enrolment": data["enrol"]}
