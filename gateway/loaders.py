"""DataLoaders, made per request: a query costs one service call per kind of data, not per row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from gateway.services import ServiceClient
from havn.auth import Principal
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
) -> DataLoader[uuid.UUID, Payload | None]:
    """Loads payloads by id through one batch route; ids the caller may not see load as None."""

    async def load(ids: Sequence[uuid.UUID]) -> list[Payload | None]:
        body = await services.call(
            principal, service, "POST", path, json={body_key: [str(i) for i in ids]}
        )
        by_id = {item[id_field]: item for item in body["items"]}
        return [by_id.get(str(i)) for i in ids]

    return DataLoader(load_fn=load, max_batch_size=MAX_PAGE_SIZE)


def notes_loader(services: ServiceClient, principal: Principal) -> DataLoader[NotesKey, Payload]:
    """Follow-up notes pages for many children, one call per distinct (first, after)."""

    async def load(keys: Sequence[NotesKey]) -> list[Payload]:
        pages: dict[NotesKey, Payload] = {}
        for first, after in {(k[1], k[2]) for k in keys}:
            ids = [str(k[0]) for k in keys if (k[1], k[2]) == (first, after)]
            body = await services.call(
                principal,
                "care",
                "POST",
                "/v1/follow-up-notes/batch",
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


@dataclass(frozen=True)
class Loaders:
    referral: DataLoader[uuid.UUID, Payload | None]
    child: DataLoader[uuid.UUID, Payload | None]
    care: DataLoader[uuid.UUID, Payload | None]
    transition: DataLoader[uuid.UUID, Payload | None]
    community: DataLoader[uuid.UUID, Payload | None]
    notes: DataLoader[NotesKey, Payload]

    @classmethod
    def for_request(cls, services: ServiceClient, principal: Principal) -> Loaders:
        def by_child(service: str, path: str) -> DataLoader[uuid.UUID, Payload | None]:
            return batch_loader(
                services, principal, service, path, body_key="child_ids", id_field="child_id"
            )

        return cls(
            referral=batch_loader(
                services, principal, "intake", "/v1/referrals/batch", body_key="ids", id_field="id"
            ),
            child=batch_loader(
                services, principal, "intake", "/v1/children/batch", body_key="ids", id_field="id"
            ),
            care=by_child("care", "/v1/care/batch"),
            transition=by_child("transition", "/v1/transitions/batch"),
            community=by_child("community", "/v1/enrolments/batch"),
            notes=notes_loader(services, principal),
        )
