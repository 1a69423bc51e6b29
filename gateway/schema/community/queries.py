"""Community's queries: the catalogue of partners and offers, volunteers, enrolments, grants,
suggestions for a child, the belonging overview, funding, and partners' view of children."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.child import Child
from gateway.schema.common import (
    DEFAULT_PAGE_SIZE,
    Connection,
    Edge,
    PageInfo,
    Payload,
    connection_of,
    page_size,
)
from gateway.schema.community.types import (
    AccessGrant,
    Agreement,
    Enrolment,
    FundingApplication,
    FundingTotals,
    Match,
    Offer,
    Partner,
    PartnerEnrolments,
    Suggestions,
    Volunteer,
)
from gateway.security import (
    Requires,
    caller,
    parse_id,
    partner_grant_holds,
)
from havn import permissions


async def community_get(info: Info, path: str, **params: Any) -> Any:
    return await info.context.services.call(
        info.context.principal, "community", "GET", path, params=params
    )


async def children_connection(info: Info, page: Payload, child_id_field: str) -> Connection[Child]:
    """A page of child references as children, each through the caller's child loader."""
    loader = info.context.loaders.child
    payloads = await asyncio.gather(
        *(loader.load(parse_id(item[child_id_field])) for item in page["items"])
    )
    return Connection(
        edges=[
            Edge(cursor=cursor, node=Child.from_payload(payload))
            for payload, cursor in zip(payloads, page["cursors"], strict=True)
            if payload is not None
        ],
        page_info=PageInfo(has_next_page=page["has_next_page"], end_cursor=page["end_cursor"]),
        total_count=page["total_count"],
    )


@strawberry.type
class CommunitySettings:
    municipality: str
    police_certificate_months: int = strawberry.field(
        description="How old a volunteer's police certificate may be (default 36 months)"
    )


@strawberry.type
class BelongingOverview:
    """The volunteer coordinator's view: who has no belonging yet, and where places are."""

    @strawberry.field(description="Children with neither an active leisure offer nor a mentor.")
    async def children_without_leisure_or_mentor(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Child]:
        page = await community_get(
            info, "/v1/belonging/children-without", first=page_size(first), after=after
        )
        return await children_connection(info, page, "child_id")

    @strawberry.field
    async def enrolments_per_partner(self, info: Info) -> list[PartnerEnrolments]:
        body = await community_get(info, "/v1/belonging/partners")
        return [
            PartnerEnrolments(
                partner=Partner.from_payload(item["partner"]),
                active_enrolments=item["active_enrolments"],
            )
            for item in body["items"]
        ]

    @strawberry.field
    async def offers_with_free_places(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Offer]:
        page = await community_get(
            info, "/v1/belonging/free-offers", first=page_size(first), after=after
        )
        return connection_of(page, Offer.from_payload)


@strawberry.type
class CommunityQuery:
    @strawberry.field(
        extensions=[Requires(permissions.community.CATALOGUE_READ)],
        description="Every partner organisation on the platform.",
    )
    async def partners(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Partner]:
        page = await community_get(info, "/v1/partners", first=page_size(first), after=after)
        return connection_of(page, Partner.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.CATALOGUE_READ)],
        description="The municipality's partner agreements (a partner: its own).",
    )
    async def agreements(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Agreement]:
        page = await community_get(info, "/v1/agreements", first=page_size(first), after=after)
        return connection_of(page, Agreement.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.CATALOGUE_READ)],
        description="The municipality's offers (a partner: its organisation's).",
    )
    async def offers(
        self,
        info: Info,
        kind: str | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Offer]:
        page = await community_get(
            info, "/v1/offers", kind=kind, first=page_size(first), after=after
        )
        return connection_of(page, Offer.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.VOLUNTEERS_READ)],
        description="The municipality's volunteers (a partner: its own).",
    )
    async def volunteers(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Volunteer]:
        page = await community_get(info, "/v1/volunteers", first=page_size(first), after=after)
        return connection_of(page, Volunteer.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.ENROLMENTS_READ)],
        description="Enrolments, newest first (a partner: in its own offers).",
    )
    async def enrolments(
        self,
        info: Info,
        offer_id: strawberry.ID | None = None,
        active: bool = False,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Enrolment]:
        page = await community_get(
            info,
            "/v1/enrolments",
            offer_id=str(parse_id(offer_id, "offerId")) if offer_id else None,
            active=active,
            first=page_size(first),
            after=after,
        )
        return connection_of(page, Enrolment.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.MATCHES_READ)],
        description="Matches with volunteers (a partner: its own volunteers').",
    )
    async def matches(
        self,
        info: Info,
        child_id: strawberry.ID | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Match]:
        page = await community_get(
            info,
            "/v1/matches",
            child_id=str(parse_id(child_id, "childId")) if child_id else None,
            first=page_size(first),
            after=after,
        )
        return connection_of(page, Match.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.SUGGESTIONS_READ)],
        description="Offers and volunteers for a child, best fit first.",
    )
    async def suggestions(
        self, info: Info, child_id: strawberry.ID, first: int = 10
    ) -> Suggestions:
        body = await community_get(
            info, f"/v1/children/{parse_id(child_id, 'childId')}/suggestions", first=first
        )
        return Suggestions.from_payload(body)

    @strawberry.field(
        extensions=[Requires(permissions.community.BELONGING_READ)],
        description="Volunteer coordinator: where belonging is missing.",
    )
    def belonging_overview(self, info: Info) -> BelongingOverview:
        return BelongingOverview()

    @strawberry.field(
        extensions=[Requires(permissions.community.PARTNER_VIEW)],
        description="Partner: the children a grant to your organisation lets you see, in the "
        "municipality chosen with X-Havn-Tenant (basic profile only).",
    )
    async def partner_children(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Child]:
        principal = caller(info)
        page = await community_get(
            info, "/v1/partner/children", first=page_size(first), after=after
        )
        edges = []
        for item, cursor in zip(page["items"], page["cursors"], strict=True):
            if partner_grant_holds(principal, item):
                info.context.loaders.child.prime(parse_id(item["id"]), item)
                edges.append(Edge(cursor=cursor, node=Child.from_payload(item)))
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=page["has_next_page"], end_cursor=page["end_cursor"]),
            total_count=page["total_count"],
        )

    @strawberry.field(
        extensions=[Requires(permissions.community.GRANTS_READ)],
        description="Partners' grants in the municipality, newest first.",
    )
    async def access_grants(
        self,
        info: Info,
        child_id: strawberry.ID | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[AccessGrant]:
        page = await community_get(
            info,
            "/v1/grants",
            child_id=str(parse_id(child_id, "childId")) if child_id else None,
            first=page_size(first),
            after=after,
        )
        return connection_of(page, AccessGrant.from_payload)

    @strawberry.field(extensions=[Requires(permissions.community.FUNDING_READ)])
    async def funding_applications(
        self,
        info: Info,
        status: str | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[FundingApplication]:
        page = await community_get(
            info, "/v1/funding-applications", status=status, first=page_size(first), after=after
        )
        return connection_of(page, FundingApplication.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.community.FUNDING_READ)],
        description="The municipality's funding applications, in kroner.",
    )
    async def funding_totals(self, info: Info) -> FundingTotals:
        body = await community_get(info, "/v1/funding-applications/totals")
        return FundingTotals(**body)

    @strawberry.field(extensions=[Requires(permissions.community.SETTINGS_READ)])
    async def community_settings(self, info: Info) -> CommunitySettings:
        body = await community_get(info, "/v1/settings")
        return CommunitySettings(**body)
