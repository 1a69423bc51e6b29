"""The municipalities community serves, and what each changed of its defaults (settings).

The list of municipalities is shared reference data (no RLS); settings are the tenant's.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.models import Municipality, Settings


async def note_municipality(session: AsyncSession, number: str) -> None:
    """Remembers that community serves this municipality (for the grant sweep)."""
    await session.execute(insert(Municipality).values(number=number).on_conflict_do_nothing())


async def municipality_numbers(session: AsyncSession) -> Sequence[str]:
    return (await session.scalars(select(Municipality.number).order_by(Municipality.number))).all()


async def get_settings(session: AsyncSession) -> Settings | None:
    """The tenant's settings row, if it changed any default."""
    return (await session.scalars(select(Settings))).one_or_none()


async def save_police_certificate_limit(session: AsyncSession, tenant_id: str, months: int) -> None:
    await session.execute(
        insert(Settings)
        .values(tenant_id=tenant_id, police_certificate_months=months)
        .on_conflict_do_update(
            index_elements=[Settings.tenant_id], set_={"police_certificate_months": months}
        )
    )
