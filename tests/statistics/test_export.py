"""Downloads: CSV and XLSX keep the suppression marks a spreadsheet user needs."""

from __future__ import annotations

import io
import zipfile

from havn.statistics.export import SUPPRESSED_MARK, to_csv, to_xlsx

ROWS = [(["4601", "F"], 12.0, False), (["4601", "M"], None, True), (["4601", "X"], 0.5, False)]


def test_csv_has_a_column_per_dimension_the_values_and_marks_suppressed_cells():
    lines = to_csv("SETTLED_CHILDREN", ["MUNICIPALITY", "SEX"], ROWS).splitlines()
    assert lines[:4] == [
        "MUNICIPALITY,SEX,SETTLED_CHILDREN",
        "4601,F,12",
        f"4601,M,{SUPPRESSED_MARK}",
        "4601,X,0.5",
    ]
    assert "suppressed" in lines[-1]


def test_xlsx_is_a_workbook_with_the_same_cells_and_marks():
    workbook = zipfile.ZipFile(io.BytesIO(to_xlsx("SETTLED_CHILDREN", ["MUNICIPALITY"], ROWS)))
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert "<v>12</v>" in sheet and "<v>0.5</v>" in sheet
    assert f">{SUPPRESSED_MARK}<" in strings and "SETTLED_CHILDREN" in strings
