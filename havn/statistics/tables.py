"""Published statistics tables: from a service's grouped counts to suppressed rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from havn.statistics.dimensions import (
    MEASURE_KIND,
    MINIMUM_CELL_SIZE,
    Dimension,
    Kind,
    Measure,
    age_band_label,
    county_of,
    grouping_dimensions,
)
from havn.statistics.suppression import Key, suppress_by_size, suppress_counts


@dataclass(frozen=True)
class Group:
    """One group a service's SQL returns: its keys, children in it (and the caller's own)."""

    keys: Key
    size: int
    own: int
    value: float | None


@dataclass(frozen=True)
class Row:
    keys: tuple[str, ...]
    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class Table:
    measure: Measure
    dimensions: tuple[Dimension, ...]
    rows: list[Row]
    minimum_cell_size: int = MINIMUM_CELL_SIZE


def _label(dimension: Dimension, value: str) -> str:
    return age_band_label(int(value)) if dimension is Dimension.AGE_BAND else value


def count_table(
    counts: Mapping[Key, int],
    dimensions: Sequence[Dimension],
    *,
    asked: Sequence[Dimension],
    own: Mapping[Key, int] | None = None,
    year: int | None = None,
) -> list[Row]:
    """The rows of a count table: every combination of categories, small cells hidden."""
    cells = suppress_counts(counts, dimensions, own=own)
    return _rows(
        ((key, float(value), hidden) for key, value, hidden in cells), dimensions, asked, year
    )


def size_table(
    groups: Sequence[Group],
    dimensions: Sequence[Dimension],
    *,
    asked: Sequence[Dimension],
    year: int | None = None,
) -> list[Row]:
    """The rows of a median or rate table: the groups that have children, small ones hidden."""
    return _rows(
        ((g.keys, g.value, suppress_by_size(g.size, own=g.own)) for g in groups if g.size > 0),
        dimensions,
        asked,
        year,
    )


def _rows(
    cells: Iterable[tuple[Key, float | None, bool]],
    dimensions: Sequence[Dimension],
    asked: Sequence[Dimension],
    year: int | None,
) -> list[Row]:
    position = {d: i for i, d in enumerate(dimensions)}
    rows = []
    for key, value, hidden in cells:
        if year is not None and key[position[Dimension.YEAR]] != str(year):
            continue
        labelled = []
        for dimension in asked:
            if dimension is Dimension.COUNTY and dimension not in position:
                labelled.append(county_of(key[position[Dimension.MUNICIPALITY]]))
            else:
                labelled.append(_label(dimension, key[position[dimension]]))
        rows.append(Row(tuple(labelled), None if hidden else value, bool(hidden)))
    rows.sort(key=lambda row: row.keys)
    return rows


def build_table(
    measure: Measure,
    by: Sequence[Dimension],
    year: int | None,
    groups: Sequence[Group],
) -> Table:
    """The published table for a request, from the groups the service's SQL returned.

    A group's `own` is the part of it in the caller's own municipality, which it already
    knows: those cells are shown, and the rest is protected against that knowledge.
    """
    dimensions = grouping_dimensions(by, year)
    if MEASURE_KIND[measure] is Kind.COUNT:
        rows = count_table(
            {g.keys: g.size for g in groups},
            dimensions,
            asked=by,
            own={g.keys: g.own for g in groups if g.own},
            year=year,
        )
    else:
        rows = size_table(groups, dimensions, asked=by, year=year)
    return Table(measure=measure, dimensions=tuple(by), rows=rows)
