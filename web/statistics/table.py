"""A statistics table as people read it: the gateway's rows pivoted on the last dimension,
and the same figures as a bar chart drawn in SVG (the table is the chart's accessible form).

The chart is geometry only: the template draws it and the stylesheet colours it with the
design system's variables, so the page needs no inline style (CSP) and no chart library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    value: float | None
    suppressed: bool

    @property
    def missing(self) -> bool:
        """No children in this group at all (medians and rates list only groups with some)."""
        return self.value is None and not self.suppressed


NO_CHILDREN = Cell(None, False)


@dataclass(frozen=True)
class Pivot:
    """Rows by every dimension but the last, a column per category of the last one."""

    row_dimensions: tuple[str, ...]
    column_dimension: str | None
    rows: list[Key]
    columns: list[str]
    cells: dict[tuple[Key, str], Cell]

    def cell(self, row: Key, column: str) -> Cell:
        return self.cells.get((row, column), NO_CHILDREN)

    @property
    def suppressed(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.suppressed)


def pivot(dimensions: Sequence[str], rows: Sequence[dict[str, Any]]) -> Pivot:
    """The gateway's rows (one per combination of categories) as a cross table, in their order.

    With one dimension (or none: the whole country) each category is a row of one column.
    """
    row_keys: dict[Key, None] = {}
    columns: dict[str, None] = {}
    cells = {}
    for r in rows:
        keys = tuple(r["keys"])
        head, last = (keys[:-1], keys[-1]) if len(dimensions) > 1 else (keys, "")
        row_keys.setdefault(head, None)
        columns.setdefault(last, None)
        cells[(head, last)] = Cell(r["value"], r["suppressed"])
    if len(dimensions) > 1:
        return Pivot(tuple(dimensions[:-1]), dimensions[-1], list(row_keys), list(columns), cells)
    return Pivot(tuple(dimensions), None, list(row_keys) or [()], [""], cells)


# --- the chart ---------------------------------------------------------------------------

LABEL_WIDTH = 180  # the row labels left of the bars
PLOT_WIDTH = 400
VALUE_GAP = 6  # between a bar's end and its figure
VALUE_WIDTH = 70  # room for the figure after the longest bar
BAR_HEIGHT = 16
BAR_GAP = 2
GROUP_GAP = 14
AXIS_HEIGHT = 24
SERIES_COLOURS = 8  # classes havn-chart__series-0..7 in havn.css


@dataclass(frozen=True)
class Bar:
    y: float
    length: float
    series: int
    text: str  # the figure beside the bar; ":" for a hidden one
    suppressed: bool


@dataclass(frozen=True)
class Group:
    label: str
    y: float  # the middle of its bars, where its label sits
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    bar_height: int
    plot_left: int
    plot_width: int
    axis_y: float
    groups: list[Group]
    ticks: list[Tick]


def nice_maximum(largest: float) -> tuple[float, float]:
    """A round top for the axis and its step (1, 2 or 5 times a power of ten), four steps or so."""
    if largest <= 0:
        return 1.0, 0.25
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return step * math.ceil(largest / step), step


def bar_chart(
    table: Pivot, row_label: Callable[[Key], str], figure: Callable[[float], str]
) -> Chart:
    """Horizontal bars: a group per table row, a bar per column, hidden cells marked ":".

    `row_label(key)` names a row, `figure(value)` writes a value as the table does.
    """
    shown = [
        cell.value
        for cell in table.cells.values()
        if cell.value is not None and not cell.suppressed
    ]
    top, step = nice_maximum(max(shown, default=0.0))
    groups: list[Group] = []
    y = 0.0
    for row in table.rows:
        bars: list[Bar] = []
        for series, column in enumerate(table.columns):
            cell = table.cell(row, column)
            if cell.missing:
                continue
            # A hidden cell is drawn as its mark at the axis: no bar to guess its size from.
            value = None if cell.suppressed else cell.value
            bars.append(
                Bar(
                    y=y + len(bars) * (BAR_HEIGHT + BAR_GAP),
                    length=0.0 if value is None else PLOT_WIDTH * value / top,
                    series=series % SERIES_COLOURS,
                    text=":" if value is None else figure(value),
                    suppressed=cell.suppressed,
                )
            )
        height = max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        groups.append(Group(label=row_label(row), y=y + height / 2, bars=bars))
        y += height + GROUP_GAP
    ticks = [
        Tick(x=LABEL_WIDTH + PLOT_WIDTH * (i * step) / top, text=figure(i * step))
        for i in range(round(top / step) + 1)
    ]
    axis_y = max(y - GROUP_GAP, 0.0) + 4
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_GAP + VALUE_WIDTH,
        height=axis_y + AXIS_HEIGHT,
        bar_height=BAR_HEIGHT,
        plot_left=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        axis_y=axis_y,
        groups=groups,
        ticks=ticks,
    )
