"""The caseload: the caller's children (a contact person's: those assigned to them), the most
urgent assessment first, and the backlog counted per filter."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.pagination import Page
from havn.vocabulary import CaseloadFilter
from services.care import events, policy, repository
from services.care.domain.parts import CarePart, CareRecord
from services.care.repository import CaseloadCounts


async def read_caseload(
    session: AsyncSession,
    *,
    principal: Principal,
    filter: CaseloadFilter,
    first: int,
    after: str | None,
    today: date,
) -> tuple[Page[CareRecord], CaseloadCounts]:
    """A page of the caller's children with their plans, and the counts; the page is logged."""
    page, counts = await repository.caseload(
        session,
        filter=filter,
        username=principal.username,
        reach=policy.part_reach(principal, CarePart.PLAN_STATUS).listed,
        today=today,
        first=first,
        after=after,
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id for child, _ in page.items],
        data_class=DataClass.PERSONAL,
        operation="caseload.read",
    )
    records = page.map(
        lambda row: CareRecord(child=row[0], plan=row[1], parts=policy.parts_of(row[0], principal))
    )
    return records, counts
