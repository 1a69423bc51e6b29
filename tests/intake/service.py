"""Calling intake's use cases as its routes do: the permission first, then one tenant-bound
transaction per call (in a municipality of the test's own where it counts or changes
a municipality's figures: tests/factories.py).
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
from havn.permissions import Permission, intake
from havn.vocabulary import CareArrangement
from services.intake.models import Referral
from services.intake.schemas import AcceptReferralIn, ArrivalIn, CreateReferralIn
from services.intake.service import arrival, referrals

T = TypeVar("T")


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
    """Runs use cases in their own committed transaction, as a request would."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessionmaker = sessionmaker
        self.clock = clock

    async def as_(
        self,
        principal: Principal,
        permission: Permission,
        use_case: Callable[..., Awaitable[T]],
        **kwargs: Any,
    ) -> T:
        # As the route does: the permission it declares refuses first.
        permission.require(principal)
        is_allocator = principal.has_role(Role.DIRECTORATE_ALLOCATOR)
        async with scoped_transaction(
            self.sessionmaker,
            tenant=principal.tenant,
            allocator=principal.subject if is_allocator else None,
        ) as session:
            return await use_case(session, principal=principal, **kwargs)

    async def create_referral(self, by: Principal, municipality: str, **overrides: Any) -> Referral:
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
            by,
            intake.REFERRAL_CREATE,
            referrals.create_referral,
            body=CreateReferralIn(**values),
            today=today,
        )

    async def accept(
        self, by: Principal, referral_id: uuid.UUID, arrangement: str = "GROUP_HOME"
    ) -> Referral:
        body = AcceptReferralIn(
            planned_arrival=self.clock.today() + timedelta(days=20),
            care_arrangement=CareArrangement(arrangement),
        )
        return await self.as_(
            by,
            intake.REFERRAL_DECIDE,
            referrals.accept_referral,
            referral_id=referral_id,
            body=body,
            today=self.clock.today(),
        )

    async def arrive(self, by: Principal, referral_id: uuid.UUID, on: date | None = None) -> Any:
        body = ArrivalIn(arrived_on=on or self.clock.today())
        return await self.as_(
            by,
            intake.PREPARATION,
            arrival.register_arrival,
            referral_id=referral_id,
            body=body,
            today=self.clock.today(),
        )
