"""DataLoaders, made per request: a query costs one service call per kind of data, not per row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.security import partner_grant_holds
from gateway.services import ServiceClient
from havn.auth import Principal, Role
from havn.pagination import MAX_PAGE_SIZE

Payload = dict[str, Any]
NotesKey = tuple[uuid.UUID, int, str | None]


def batch_loader(
    services: ServiceClient,
    principal: Principal,
    service: str,
    path: str,
    *,
    body_key: str,
    id_field: str,
    options: Payload | None = None,
) -> DataLoader[uuid.UUID, Payload | None]:
    """Loads payloads by id through one batch route; ids the caller may not see load as None.
    `options` go in the body beside the ids."""

    async def load(ids: Sequence[uuid.UUID]) -> list[Payload | None]:
        body = await services.call(
            principal,
            service,
            "POST",
            path,
            json={body_key: [str(i) for i in ids], **(options or {})},
        )
        by_id = {item[id_field]: item for item in body["items"]}
        return [by_id.get(str(i)) for i in ids]

    return DataLoader(load_fn=load, max_batch_size=MAX_PAGE_SIZE)


def care_pages_loader(
    services: ServiceClient, principal: Principal, path: str
) -> DataLoader[NotesKey, Payload]:
    """A page per child of one of care's lists (follow-up notes, meetings, plan versions),
    one call per distinct (first, after)."""

    async def load(keys: Sequence[NotesKey]) -> list[Payload]:
        pages: dict[NotesKey, Payload] = {}
        for first, after in {(k[1], k[2]) for k in keys}:
            ids = [str(k[0]) for k in keys if (k[1], k[2]) == (first, after)]
            body = await services.call(
                principal,
                "care",
                "POST",
                path,
                json={"child_ids": ids, "first": first, "after": after},
            )
            for item in body["items"]:
                pages[(uuid.UUID(item["child_id"]), first, after)] = item["page"]
        empty: Payload = {
            "items": [],
            "cursors": [],
            "end_cursor": None,
            "has_next_page": False,
            "total_count": 0,
        }
        return [pages.get(key, empty) for key in keys]

    return DataLoader(load_fn=load, max_batch_size=MAX_PAGE_SIZE)


def partner_child_loader(
    services: ServiceClient, principal: Principal
) -> DataLoader[uuid.UUID, Payload | None]:
    """A partner's children come from community, never intake: the basic profile of those a
    grant to its organisation covers. The grant is checked again here (gateway layer)."""

    async def load(ids: Sequence[uuid.UUID]) -> list[Payload | None]:
        body = await services.call(
            principal,
            "community",
            "POST",
            "/v1/partner/children/batch",
            json={"ids": [str(i) for i in ids]},
        )
        by_id = {item["id"]: item for item in body["items"] if partner_grant_holds(principal, item)}
        return [by_id.get(str(i)) for i in ids]

    return DataLoader(load_fn=load, max_batch_size=MAX_PAGE_SIZE)


def attendance_loader(
    services: ServiceClient, principal: Principal
) -> DataLoader[uuid.UUID, list[Payload]]:
    """The attendance register of many enrolments in one call to community."""

    async def load(ids: Sequence[uuid.UUID]) -> list[list[Payload]]:
        body = await services.call(
            principal,
            "community",
            "POST",
            "/v1/attendance/batch",
            json={"enrolment_ids": [str(i) for i in ids]},
        )
        by_id = {item["enrolment_id"]: item["attendance"] for item in body["items"]}
        return [by_id.get(str(i), []) for i in ids]

    return DataLoader(load_fn=load, max_batch_size=MAX_PAGE_SIZE)


@dataclass(frozen=True)
class Loaders:
    referral: DataLoader[uuid.UUID, Payload | None]
    child: DataLoader[uuid.UUID, Payload | None]
    care: DataLoader[uuid.UUID, Payload | None]
    # The care record with how many follow-up notes there are: a caseload's one call to care.
    care_with_note_counts: DataLoader[uuid.UUID, Payload | None]
    transition: DataLoader[uuid.UUID, Payload | None]
    transition_summary: DataLoader[uuid.UUID, Payload | None]
    # The child's phase (transition computes it for every municipal role): {child_id, phase}.
    phase: DataLoader[uuid.UUID, Payload | None]
    community: DataLoader[uuid.UUID, Payload | None]
    attendance: DataLoader[uuid.UUID, list[Payload]]
    notes: DataLoader[NotesKey, Payload]
    # How many notes a child has ({child_id, total_count}), when a query asks no more.
    notes_counts: DataLoader[uuid.UUID, Payload | None]
    health: DataLoader[uuid.UUID, Payload | None]
    education: DataLoader[uuid.UUID, Payload | None]
    meetings: DataLoader[NotesKey, Payload]
    care_plan_versions: DataLoader[NotesKey, Payload]

    @classmethod
    def for_request(cls, services: ServiceClient, principal: Principal) -> Loaders:
        def by_child(
            service: str, path: str, options: Payload | None = None
        ) -> DataLoader[uuid.UUID, Payload | None]:
            return batch_loader(
                services,
                principal,
                service,
                path,
                body_key="child_ids",
                id_field="child_id",
                options=options,
            )

        return cls(
            referral=batch_loader(
                services, principal, "intake", "/v1/referrals/batch", body_key="ids", id_field="id"
            ),
            child=partner_child_loader(services, principal)
            if principal.has_role(Role.PARTNER) and not principal.is_municipal
            else batch_loader(
                services, principal, "intake", "/v1/children/batch", body_key="ids", id_field="id"
            ),
            care=by_child("care", "/v1/care/batch"),
            care_with_note_counts=by_child("care", "/v1/care/batch", {"note_counts": True}),
            transition=by_child("transition", "/v1/transitions/batch"),
            transition_summary=by_child("transition", "/v1/transitions/summaries/batch"),
            phase=by_child("transition", "/v1/phases/batch"),
            community=by_child("community", "/v1/enrolments/batch"),
            attendance=attendance_loader(services, principal),
            notes=care_pages_loader(services, principal, "/v1/follow-up-notes/batch"),
            notes_counts=by_child("care", "/v1/follow-up-notes/counts/batch"),
            health=by_child("care", "/v1/health/batch"),
            education=by_child("care", "/v1/education/batch"),
            meetings=care_pages_loader(services, principal, "/v1/meetings/batch"),
            care_plan_versions=care_pages_loader(
                services, principal, "/v1/care-plan-versions/batch"
            ),
        )
