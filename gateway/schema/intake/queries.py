"""Intake's queries: capacity, referrals, the children a municipality follows, relocations."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.child import Child, load_child
from gateway.schema.common import (
    DEFAULT_PAGE_SIZE,
    Connection,
    connection_of,
    page_size,
)
from gateway.schema.intake.types import MunicipalityCapacity, Referral, Relocation, StaffMember
from gateway.security import (
    Requires,
    caller,
    parse_id,
)
from havn import permissions
from havn.errors import NotFound
from havn.vocabulary import ReferralSort, ReferralStatus, RelocationDirection, RelocationStatus


@strawberry.input(description="Every field narrows the list; leave one out to not filter on it.")
class ReferralFilter:
    status: list[ReferralStatus] | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="PENDING and past respondBy (true), or not (false)."
    )
    planned_arrival_from: date | None = strawberry.field(
        default=None, description="Arrival window: planned on or after this day."
    )
    planned_arrival_to: date | None = strawberry.field(
        default=None, description="Arrival window: planned on or before this day."
    )
    municipality: str | None = strawberry.field(
        default=None, description="kommunenummer (useful to the allocator)."
    )


async def _referral_page(
    info: Info,
    *,
    filter: ReferralFilter | None,
    sort: ReferralSort,
    first: int | None,
    after: str | None,
) -> Connection[Referral]:
    where = filter or ReferralFilter()
    page = await info.context.services.call(
        info.context.principal,
        "intake",
        "GET",
        "/v1/referrals",
        params={
            "status": [s.value for s in where.status] if where.status else None,
            "overdue": None if where.overdue is None else str(where.overdue).lower(),
            "arrival_from": where.planned_arrival_from.isoformat()
            if where.planned_arrival_from
            else None,
            "arrival_to": where.planned_arrival_to.isoformat()
            if where.planned_arrival_to
            else None,
            "municipality": where.municipality,
            "sort": sort.value,
            "first": page_size(first),
            "after": after,
        },
        # The arrival window as the filter names it.
        renamed={"arrival_from": "plannedArrivalFrom", "arrival_to": "plannedArrivalTo"},
    )
    return connection_of(page, Referral.from_payload)


@strawberry.type
class IntakeQuery:
    @strawberry.field(extensions=[Requires(permissions.intake.REFERRALS_READ)])
    async def referral(self, info: Info, id: strawberry.ID) -> Referral | None:
        info.context.principal  # noqa: B018 - refuse unauthenticated callers before any call
        payload = await info.context.loaders.referral.load(parse_id(id))
        if payload is None:
            raise NotFound("no such referral")
        return Referral.from_payload(payload)

    @strawberry.field(extensions=[Requires(permissions.intake.REFERRALS_READ)])
    async def referrals(
        self,
        info: Info,
        status: ReferralStatus | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Referral]:
        return await _referral_page(
            info,
            filter=ReferralFilter(status=[status] if status else None),
            sort=ReferralSort.RESPOND_BY_ASC,
            first=first,
            after=after,
        )

    @strawberry.field(
        extensions=[Requires(permissions.intake.REFERRALS_READ)],
        description="Referrals by status, overdue and arrival window, sorted by respondBy.",
    )
    async def search_referrals(
        self,
        info: Info,
        filter: ReferralFilter | None = None,
        sort: ReferralSort = ReferralSort.RESPOND_BY_ASC,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Referral]:
        return await _referral_page(info, filter=filter, sort=sort, first=first, after=after)

    @strawberry.field(extensions=[Requires(permissions.intake.CHILD_LOOKUP)])
    async def child(self, info: Info, id: strawberry.ID) -> Child | None:
        info.context.principal  # noqa: B018 - refuse unauthenticated callers before any call
        child = await load_child(info.context.loaders, parse_id(id))
        if child is None:
            raise NotFound("no such child")
        return child

    @strawberry.field(
        extensions=[Requires(permissions.intake.CHILD_LOOKUP)],
        description="The caller's caseload in its municipality.",
    )
    async def children(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Child]:
        return await _children_page(info, name=None, first=first, after=after)

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="Children whose name contains `name`, in any script; case and accents "
        'are ignored ("asa" finds Åsa).',
    )
    async def search_children(
        self,
        info: Info,
        name: str,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Child]:
        return await _children_page(info, name=name, first=first, after=after)

    @strawberry.field(
        extensions=[Requires(permissions.intake.OWN_CAPACITY_READ)],
        description="Your municipality's capacity for a year (default this year).",
    )
    async def capacity(self, info: Info, year: int | None = None) -> MunicipalityCapacity:
        principal = caller(info)
        page = await info.context.services.call(
            principal, "intake", "GET", "/v1/capacity", params={"year": year, "first": 1}
        )
        [own] = page["items"]
        return MunicipalityCapacity.from_payload(own)

    @strawberry.field(
        extensions=[Requires(permissions.intake.NATIONAL_CAPACITY_READ)],
        description="Allocator: every municipality's free capacity beside its pending "
        "referrals, counts only.",
    )
    async def national_capacity(
        self,
        info: Info,
        year: int | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[MunicipalityCapacity]:
        principal = caller(info)
        page = await info.context.services.call(
            principal,
            "intake",
            "GET",
            "/v1/capacity",
            params={"year": year, "first": page_size(first), "after": after},
        )
        return connection_of(page, MunicipalityCapacity.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.intake.STAFF_READ)],
        description="Your municipality's users who can own checklist tasks.",
    )
    async def municipality_staff(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[StaffMember]:
        principal = caller(info)
        page = await info.context.services.call(
            principal,
            "intake",
            "GET",
            "/v1/staff",
            params={"first": page_size(first), "after": after},
        )
        return connection_of(page, StaffMember.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="Relocations your municipality sends or receives, newest first.",
    )
    async def relocations(
        self,
        info: Info,
        direction: RelocationDirection | None = None,
        status: RelocationStatus | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Relocation]:
        principal = caller(info)
        page = await info.context.services.call(
            principal,
            "intake",
            "GET",
            "/v1/relocations",
            params={
                "direction": direction.value if direction else None,
                "status": status.value if status else None,
                "first": page_size(first),
                "after": after,
            },
        )
        return connection_of(page, Relocation.from_payload)

    @strawberry.field(extensions=[Requires(permissions.intake.RELOCATIONS)])
    async def relocation(self, info: Info, id: strawberry.ID) -> Relocation | None:
        principal = caller(info)
        payload = await info.context.services.call(
            principal, "intake", "GET", f"/v1/relocations/{parse_id(id)}"
        )
        return Relocation.from_payload(payload)


async def _children_page(
    info: Info, *, name: str | None, first: int | None, after: str | None
) -> Connection[Child]:
    page = await info.context.services.call(
        info.context.principal,
        "intake",
        "GET",
        "/v1/children",
        params={"first": page_size(first), "after": after, "name": name},
    )
    for item in page["items"]:
        info.context.loaders.child.prime(parse_id(item["id"]), item)
    connection = connection_of(page, Child.from_payload)
    await Child.preload(info, [edge.node for edge in connection.edges], "edges", "node")
    return connection
