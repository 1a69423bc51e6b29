"""How intake's mutations call intake: the input as its JSON expects it."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.common import sent_fields
from gateway.schema.intake.types import Referral
from gateway.security import parse_id


def wire(value: Any) -> Any:
    """An input value as the service's JSON expects it (an input object: field by field)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return {field.name: wire(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value


def sent(input: object, names: list[str]) -> dict[str, Any]:
    """The fields the caller sent (null included), as the service's JSON expects them."""
    return {name: wire(value) for name, value in sent_fields(input, *names).items()}


async def call_intake(
    info: Info, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    return await info.context.services.call(
        info.context.principal, "intake", method, path, json=body or {}
    )


async def referral_action(
    info: Info, referral_id: strawberry.ID, action: str, body: dict[str, Any] | None = None
) -> Referral:
    path = f"/v1/referrals/{parse_id(referral_id, 'id')}/{action}"
    return Referral.from_payload(await call_intake(info, "POST", path, body))
