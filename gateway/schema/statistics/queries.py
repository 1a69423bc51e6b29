"""The national statistics query: one call to the service that counts the measure."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.statistics.types import StatisticsTable
from gateway.security import Requires, caller
from havn import permissions
from havn.statistics.dimensions import MEASURE_SERVICE, Dimension, Measure, check_request


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        extensions=[Requires(permissions.statistics.STATISTICS_READ)],
        description="Directorate analysts: the country, suppressed. Municipality admins: "
        "their own municipality in full and the rest of the country suppressed.",
    )
    async def national_statistics(
        self,
        info: Info,
        measure: Measure,
        by: list[Dimension],
        year: int | None = None,
    ) -> StatisticsTable:
        principal = caller(info)
        check_request(measure, by, year)
        payload = await info.context.services.call(
            principal,
            MEASURE_SERVICE[measure],
            "GET",
            "/v1/statistics/national",
            params={"measure": measure.value, "by": [d.value for d in by], "year": year},
        )
        return StatisticsTable.from_payload(payload)
