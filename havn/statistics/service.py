"""The statistics route every service that counts something mounts: /v1/statistics/national.

The service groups its own rows in SQL (a function only the statistics role may call, in a
transaction of this route's own) and suppresses the table before it answers, so no
unsuppressed small count leaves the service, not even to the gateway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import Principal, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.db import scoped_transaction
from havn.errors import InvalidInput
from havn.http import IN_REQUEST
from havn.permissions import require_tenant
from havn.permissions.route import permitted
from havn.statistics.dimensions import (
    MINIMUM_CELL_SIZE,
    Dimension,
    Measure,
    check_request,
    grouping_dimensions,
)
from havn.statistics.tables import Group, build_table

# (session, measure, dimensions to group by in canonical order, the caller's municipality)
GroupQuery = Callable[
    [AsyncSession, Measure, Sequence[Dimension], str | None], Awaitable[list[Group]]
]


class StatisticsRowOut(BaseModel):
    keys: list[str]
    value: float | None
    suppressed: bool


class StatisticsTableOut(BaseModel):
    measure: Measure
    dimensions: list[Dimension]
    rows: list[StatisticsRowOut]
    minimum_cell_size: int = MINIMUM_CELL_SIZE


def own_municipality(principal: Principal) -> str | None:
    """Whose cells the caller already knows: a municipality admin's own; none for analysts."""
    if principal.has_role(Role.MUNICIPALITY_ADMIN):
        return require_tenant(principal)
    return None


async def statistics_session(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncSession]:
    """The request's transaction as the statistics role: the application role may not call
    the functions that count every municipality before suppression."""
    marker = IN_REQUEST.set(True)
    try:
        async with scoped_transaction(
            request.app.state.statistics_sessionmaker, tenant=principal.tenant
        ) as session:
            yield session
    finally:
        IN_REQUEST.reset(marker)


StatisticsSession = Annotated[AsyncSession, Depends(statistics_session, scope="function")]


def statistics_router(measures: Collection[Measure], groups: GroupQuery) -> APIRouter:
    """The route for the measures this service counts."""
    router = APIRouter(prefix="/v1")

    @router.get("/statistics/national")
    async def national_statistics(
        principal: Annotated[Principal, permitted(permissions.statistics.STATISTICS_READ)],
        session: StatisticsSession,
        measure: Measure,
        by: Annotated[list[Dimension], Query()] = [],  # noqa: B006 - FastAPI copies it
        year: int | None = None,
    ) -> StatisticsTableOut:
        """A national table, suppressed for the caller; no row in it is a person."""
        own = own_municipality(principal)
        if measure not in measures:
            raise InvalidInput(f"this service does not count {measure.value}", field="measure")
        check_request(measure, by, year)
        table = build_table(
            measure, by, year, await groups(session, measure, grouping_dimensions(by, year), own)
        )
        return StatisticsTableOut(
            measure=table.measure,
            dimensions=list(table.dimensions),
            rows=[
                StatisticsRowOut(keys=list(r.keys), value=r.value, suppressed=r.suppressed)
                for r in table.rows
            ],
            minimum_cell_size=table.minimum_cell_size,
        )

    return router
