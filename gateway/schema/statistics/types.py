"""National statistics as the public schema shows them: suppressed tables, CSV and XLSX."""

from __future__ import annotations

import base64

import strawberry

from gateway.schema.common import Payload
from havn.statistics.dimensions import Dimension, Measure
from havn.statistics.export import to_csv, to_xlsx


@strawberry.type
class StatisticsRow:
    keys: list[str]
    value: float | None = strawberry.field(description="null when suppressed")
    suppressed: bool


@strawberry.type
class StatisticsTable:
    measure: Measure
    dimensions: list[Dimension]
    rows: list[StatisticsRow]
    minimum_cell_size: int

    @strawberry.field(description="The table as CSV; ':' marks a suppressed value.")
    def csv(self) -> str:
        return to_csv(self.measure.value, [d.value for d in self.dimensions], self._cells())

    @strawberry.field(description="The table as an XLSX workbook, base64; ':' marks suppression.")
    def xlsx(self) -> str:
        workbook = to_xlsx(self.measure.value, [d.value for d in self.dimensions], self._cells())
        return base64.b64encode(workbook).decode("ascii")

    def _cells(self) -> list[tuple[list[str], float | None, bool]]:
        return [(row.keys, row.value, row.suppressed) for row in self.rows]

    @classmethod
    def from_payload(cls, p: Payload) -> StatisticsTable:
        return cls(
            measure=Measure(p["measure"]),
            dimensions=[Dimension(d) for d in p["dimensions"]],
            rows=[
                StatisticsRow(keys=r["keys"], value=r["value"], suppressed=r["suppressed"])
                for r in p["rows"]
            ],
            minimum_cell_size=p["minimum_cell_size"],
        )
