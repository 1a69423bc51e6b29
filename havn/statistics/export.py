"""Downloads of a statistics table for spreadsheet users: CSV and XLSX, suppressed cells marked."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from havn.statistics.dimensions import MINIMUM_CELL_SIZE

# Statistics Norway's mark for a value withheld for confidentiality.
SUPPRESSED_MARK = ":"
NOTE = (
    f"{SUPPRESSED_MARK} = suppressed: fewer than {MINIMUM_CELL_SIZE} children, "
    "or hidden so that such a cell cannot be worked out"
)


def _value(value: float | None, suppressed: bool) -> str | float:
    if suppressed or value is None:
        return SUPPRESSED_MARK
    return int(value) if float(value).is_integer() else round(value, 4)


def to_csv(
    measure: str,
    dimensions: Sequence[str],
    rows: Sequence[tuple[Sequence[str], float | None, bool]],
) -> str:
    """The table as CSV: one column per dimension, then the measure; a note on the marks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*dimensions, measure])
    for keys, value, suppressed in rows:
        writer.writerow([*keys, _value(value, suppressed)])
    writer.writerow([])
    writer.writerow([NOTE])
    return out.getvalue()


def to_xlsx(
    measure: str,
    dimensions: Sequence[str],
    rows: Sequence[tuple[Sequence[str], float | None, bool]],
) -> bytes:
    """The table as an XLSX workbook of one sheet, with the same columns and note as the CSV."""
    import xlsxwriter  # only the download needs it

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet(measure[:31])
    bold = workbook.add_format({"bold": True})
    marked = workbook.add_format({"align": "right"})
    sheet.write_row(0, 0, [*dimensions, measure], bold)
    for r, (keys, value, suppressed) in enumerate(rows, start=1):
        sheet.write_row(r, 0, list(keys))
        cell = _value(value, suppressed)
        if isinstance(cell, str):
            sheet.write_string(r, len(keys), cell, marked)
        else:
            sheet.write_number(r, len(keys), cell)
    sheet.write_string(len(rows) + 2, 0, NOTE)
    workbook.close()
    return out.getvalue()
