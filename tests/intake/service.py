"""Calling intake's routes as the service runs them: one tenant-bound transaction per call.

Service tests act in Tromsø (5501) and Voss (4621), which have no dev users, so their
figures (capacity, pending counts) are not touched by the gateway tests running in the
same database.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from services.intake import api
from tests.routes import routed

T = TypeVar("T")
TROMSO, VOSS = "5501", "4621"


def municipal(tenant: str, role: Role = Role.SETTLEMENT_COORDINATOR, name: str = "") -> Principal:
    username = name or f"{tenant}-{role.value}"
    return Principal(
        subject=f"sub-{username}",
        username=username,
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


def allocator(name: str = "imdi-test-allocator") -> Principal:
    return Principal(
        subject=f"sub-{name}", username=name, roles=frozenset({Role.DIRECTORATE_ALLOCATOR})
    )


class IntakeService:
    """Runs route functions in their own committed transaction, as a request would."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock

    async def as_(
        self,
        principal: Principal,
        route: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        is_allocator = principal.has_role(Role.DIRECTORATE_ALLOCATOR)
        async with scoped_transaction(
            self.sessionmaker,
            tenant=principal.tenant,
            allocator=principal.subject if is_allocator else None,
        ) as session:
            await api.note_staff_member(principal, session)
            # As FastAPI calls it: the route's declared permission first.
            return await routed(route)(*args, principal=principal, session=session, **kwargs)

    async def create_referral(self, by: Principal, municipality: str, **overrides: Any) -> Any:
        today = self.clock.today()
        values: dict[str, Any] = {
            "municipality": municipality,
            "full_name": "Hamid Karimi",
            "date_of_birth": today - timedelta(days=15 * 365),
            "sex": "M",
            "nationality": "AF",
            "languages": ["fa"],
            "respond_by": today + timedelta(days=7),
        }
        values.update(overrides)
        return await self.as_(
            by, api.create_referral, api.CreateReferralIn(**values), clock=self.clock
        )

    async def accept(
        self, by: Principal, referral_id: uuid.UUID, arrangement: str = "GROUP_HOME"
    ) -> Any:
        body = api.AcceptReferralIn(
            planned_arrival=self.clock.today() + timedelta(days=20),
            care_arrangement=api.domain.CareArrangement(arrangement),
        )
        return await self.as_(by, api.accept_referral, referral_id, body, clock=self.clock)

    async def arrive(self, by: Principal, referral_id: uuid.UUID, on: date | None = None) -> Any:
        body = api.ArrivalIn(arrived_on=on or self.clock.today())
        return await self.as_(by, api.register_arrival, referral_id, body, clock=self.clock)
